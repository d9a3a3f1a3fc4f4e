/**
 * `toxiproxy.proxy`: what a proxy looks like now: whether it exists, is enabled, and which toxics it has.
 */
import { defineProbe } from '../../api.js';
import { findProxy } from '../client.js';
import type { ToxiproxySession } from '../session.js';
import { proxySpec } from '../specs.js';

export const proxyProbe = defineProbe({
  ...proxySpec,
  async run(session: ToxiproxySession | undefined, p) {
    if (session === undefined) throw new Error('toxiproxy.proxy needs a target');
    const client = session.requireClient();
    const proxy = await findProxy(client, p.proxy);
    if (proxy === null) {
      const output = { exists: false, enabled: null, listen: null, upstream: null, toxics: [] };
      return { ok: !p.exists, message: `proxy ${p.proxy} does not exist${p.exists ? ', expected it to' : ''}`, output };
    }
    const toxics = ((await client.getApi().get<{ name: string; type: string; stream: string }[]>(`${proxy.getPath()}/toxics`)).data ?? []).map(
      (t) => ({ name: t.name, type: t.type, stream: t.stream }),
    );
    const problems: string[] = [];
    if (!p.exists) problems.push('it exists, expected it not to');
    if (p.enabled !== undefined && proxy.enabled !== p.enabled) problems.push(`expected it ${p.enabled ? 'enabled' : 'disabled'}`);
    if (p.toxics !== undefined && toxics.length !== p.toxics) problems.push(`expected ${p.toxics} toxic(s)`);
    const now = `proxy ${p.proxy} ${proxy.enabled ? 'enabled' : 'disabled'}, ${toxics.length} toxic(s)${toxics.length > 0 ? ` (${toxics.map((t) => t.type).join(', ')})` : ''}`;
    return {
      ok: problems.length === 0,
      message: problems.length === 0 ? now : `${now}; ${problems.join('; ')}`,
      output: { exists: true, enabled: proxy.enabled, listen: proxy.listen, upstream: proxy.upstream, toxics },
    };
  },
});

/**
 * `toxiproxy.proxy`: what a proxy looks like now: whether it exists, is enabled, and which toxics it has.
 */
import { z } from 'zod';
import type { ProbeType } from '../../api.js';
import { findProxy } from '../client.js';
import type { ToxiproxySession } from '../session.js';

const params = z
  .object({
    proxy: z.string().min(1).describe('the proxy name on the target'),
    exists: z.boolean().default(true).describe('whether the proxy must exist'),
    enabled: z.boolean().optional().describe('whether it must be enabled (true) or disabled (false)'),
    toxics: z.int().min(0).optional().describe('how many toxics it must have (0: none, the link is clean)'),
  })
  .strict();
type ProxyProbeParams = z.output<typeof params>;

export const proxyProbe: ProbeType<ToxiproxySession, ProxyProbeParams> = {
  type: 'toxiproxy.proxy',
  description: 'Whether a proxy exists, is enabled, and how many toxics it has',
  needsTarget: true,
  params,
  async run(session, p) {
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
};

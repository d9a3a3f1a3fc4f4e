/**
 * `toxiproxy.down`: the link is cut (a network partition): the proxy is disabled, so open connections are cut and
 * new ones refused. Revert enables it again, only if it was enabled before the fault. It applies to the whole
 * proxy, so it takes no `stream` or `toxicity`.
 */
import { defineFault, type InjectContext } from '../../api.js';
import { findProxy, requireProxy } from '../client.js';
import type { ToxiproxySession } from '../session.js';
import { downSpec } from '../specs.js';

type DownState = { proxy: string; wasEnabled: boolean };

export const downFault = defineFault({
  ...downSpec,
  async plan(session: ToxiproxySession, p) {
    let where = session.where;
    if (session.client !== null) {
      const proxy = await requireProxy(session.client, p.proxy, session.targetName);
      where = `${proxy.listen} → ${proxy.upstream}`;
    }
    return [{ action: `disable proxy ${p.proxy} (the link is cut) [${where}]`, target: session.targetName, details: { proxy: p.proxy } }];
  },
  async inject(session: ToxiproxySession, p, ctx: InjectContext<DownState>) {
    const proxy = await requireProxy(session.requireClient(), p.proxy, session.targetName);
    const state: DownState = { proxy: p.proxy, wasEnabled: proxy.enabled };
    await ctx.record(state);
    await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    ctx.logger.info(`disabled proxy ${p.proxy} (${proxy.listen} → ${proxy.upstream})`);
    return state;
  },
  async revert(session: ToxiproxySession, state, ctx) {
    if (session.client === null) {
      ctx.logger.info(`proxy ${state.proxy} was on the embedded proxy of a run that is gone; nothing to enable`);
      return;
    }
    const proxy = await findProxy(session.client, state.proxy);
    if (proxy === null) {
      ctx.logger.info(`proxy ${state.proxy} is gone; nothing to enable`);
      return;
    }
    if (!state.wasEnabled || proxy.enabled) return;
    await proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
    ctx.logger.info(`enabled proxy ${state.proxy} again (${proxy.listen})`);
  },
});

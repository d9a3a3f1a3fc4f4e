/**
 * `lab.region-outage`: the region's proxies go down (every instance unreachable, open connections cut), as when a
 * region drops off the network. The router notices after `failoverAfter` checks and promotes the standby. Revert
 * brings the proxies back; it does not fail back (that is `lab.failback`).
 */
import { defineFault, type InjectContext } from '../../api.js';
import { labAdmin } from '../../../lab/contract/admin-client.js';
import { labRef, labStillRuns, type LabRef } from '../lab-ref.js';
import type { LabSession } from '../session.js';
import { regionOutageSpec } from '../specs.js';

type OutageState = { lab: LabRef; region: string };

export const regionOutageFault = defineFault({
  ...regionOutageSpec,
  async plan(session: LabSession, p) {
    return [{ action: `take region ${p.region} off the network (its proxies down)`, target: session.targetName }];
  },
  async inject(session: LabSession, p, ctx: InjectContext<OutageState>) {
    const state: OutageState = { lab: labRef(session), region: p.region };
    await ctx.record(state);
    await session.admin('POST', `/admin/regions/${p.region}/outage`, { down: true }, ctx.signal);
    return state;
  },
  async revert(_session, state, ctx) {
    if (!labStillRuns(state.lab, ctx, `the outage of region ${state.region}`)) return;
    await labAdmin(state.lab.url, 'POST', `/admin/regions/${state.region}/outage`, { down: false }, ctx.signal);
  },
});

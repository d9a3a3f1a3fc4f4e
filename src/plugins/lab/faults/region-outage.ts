/**
 * `lab.region-outage`: the region's proxies go down (every instance unreachable, open connections cut), as when a
 * region drops off the network. The router notices after `failoverAfter` checks and promotes the standby. Revert
 * brings the proxies back; it does not fail back (that is `lab.failback`).
 */
import { z } from 'zod';
import type { FaultType, InjectContext } from '../../api.js';
import { labAdmin } from '../../../lab/contract/admin-client.js';
import { labRef, labStillRuns, type LabRef } from '../lab-ref.js';
import { regionSchema } from '../params.js';
import type { LabSession } from '../session.js';

const params = z.object({ region: regionSchema.default('a') }).strict();
type OutageParams = z.output<typeof params>;
type OutageState = { lab: LabRef; region: string };

export const regionOutageFault: FaultType<LabSession, OutageParams, OutageState> = {
  type: 'lab.region-outage',
  description: "Take a region off the network (its proxies down); revert brings it back without failing back",
  params,
  async plan(session, p) {
    return [{ action: `take region ${p.region} off the network (its proxies down)`, target: session.targetName }];
  },
  async inject(session, p, ctx: InjectContext<OutageState>) {
    const state: OutageState = { lab: labRef(session), region: p.region };
    await ctx.record(state);
    await session.admin('POST', `/admin/regions/${p.region}/outage`, { down: true }, ctx.signal);
    return state;
  },
  async revert(_session, state, ctx) {
    if (!labStillRuns(state.lab, ctx, `the outage of region ${state.region}`)) return;
    await labAdmin(state.lab.url, 'POST', `/admin/regions/${state.region}/outage`, { down: false }, ctx.signal);
  },
};

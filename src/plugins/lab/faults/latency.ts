/**
 * `lab.latency`: latency (with jitter) on every answer from a region, through its proxies. The toxic's name is
 * recorded before it is added, so a revert removes exactly it.
 */
import { randomBytes } from 'node:crypto';
import { defineFault, type InjectContext } from '../../api.js';
import { labAdmin } from '../../../lab/contract/admin-client.js';
import { labRef, labStillRuns, type LabRef } from '../lab-ref.js';
import type { LabSession } from '../session.js';
import { latencySpec } from '../specs.js';

type LatencyState = { lab: LabRef; region: string; toxic: string };

export const latencyFault = defineFault({
  ...latencySpec,
  async plan(session: LabSession, p) {
    return [{ action: `add ${p.latency} ms (± ${p.jitter} ms) to region ${p.region}'s answers`, target: session.targetName }];
  },
  async inject(session: LabSession, p, ctx: InjectContext<LatencyState>) {
    const state: LatencyState = { lab: labRef(session), region: p.region, toxic: `chaos-latency-${randomBytes(4).toString('hex')}` };
    await ctx.record(state);
    await session.admin('POST', `/admin/regions/${p.region}/latency/${state.toxic}`, { latencyMs: p.latency, jitterMs: p.jitter }, ctx.signal);
    return state;
  },
  async revert(_session, state, ctx) {
    if (!labStillRuns(state.lab, ctx, `latency toxic ${state.toxic}`)) return;
    await labAdmin(state.lab.url, 'DELETE', `/admin/regions/${state.region}/latency/${state.toxic}`, undefined, ctx.signal);
  },
});

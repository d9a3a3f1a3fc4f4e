/**
 * `lab.latency`: latency (with jitter) on every answer from a region, through its proxies. The toxic's name is
 * recorded before it is added, so a revert removes exactly it.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { durationSchema } from '../../../units/duration.js';
import type { FaultType, InjectContext } from '../../api.js';
import { labAdmin } from '../../../lab/contract/admin-client.js';
import { labRef, labStillRuns, type LabRef } from '../lab-ref.js';
import { regionSchema } from '../params.js';
import type { LabSession } from '../session.js';

const params = z
  .object({
    region: regionSchema.default('a'),
    latency: durationSchema.describe('added to every answer'),
    jitter: durationSchema.prefault('0ms').describe('± random variation'),
  })
  .strict();
type LatencyParams = z.output<typeof params>;
type LatencyState = { lab: LabRef; region: string; toxic: string };

export const latencyFault: FaultType<LabSession, LatencyParams, LatencyState> = {
  type: 'lab.latency',
  description: "Add latency to a region's answers (through its proxies)",
  params,
  async plan(session, p) {
    return [{ action: `add ${p.latency} ms (± ${p.jitter} ms) to region ${p.region}'s answers`, target: session.targetName }];
  },
  async inject(session, p, ctx: InjectContext<LatencyState>) {
    const state: LatencyState = { lab: labRef(session), region: p.region, toxic: `chaos-latency-${randomBytes(4).toString('hex')}` };
    await ctx.record(state);
    await session.admin('POST', `/admin/regions/${p.region}/latency/${state.toxic}`, { latencyMs: p.latency, jitterMs: p.jitter }, ctx.signal);
    return state;
  },
  async revert(_session, state, ctx) {
    if (!labStillRuns(state.lab, ctx, `latency toxic ${state.toxic}`)) return;
    await labAdmin(state.lab.url, 'DELETE', `/admin/regions/${state.region}/latency/${state.toxic}`, undefined, ctx.signal);
  },
};

/**
 * `lab.partition`: the replication link between the regions is cut. Writes go on in the primary, the standby falls
 * behind (the replication lag grows); revert heals the link and the backlog is shipped.
 */
import { defineFault, type InjectContext } from '../../api.js';
import { labAdmin } from '../../../lab/contract/admin-client.js';
import { labRef, labStillRuns, type LabRef } from '../lab-ref.js';
import type { LabSession } from '../session.js';
import { partitionSpec } from '../specs.js';

type PartitionState = { lab: LabRef };

export const partitionFault = defineFault({
  ...partitionSpec,
  async plan(session: LabSession) {
    return [{ action: 'cut the replication link (proxy "replication" down)', target: session.targetName }];
  },
  async inject(session: LabSession, _p, ctx: InjectContext<PartitionState>) {
    const state: PartitionState = { lab: labRef(session) };
    await ctx.record(state);
    await session.admin('POST', '/admin/replication', { down: true }, ctx.signal);
    return state;
  },
  async revert(_session, state, ctx) {
    if (!labStillRuns(state.lab, ctx, 'the partition')) return;
    await labAdmin(state.lab.url, 'POST', '/admin/replication', { down: false }, ctx.signal);
  },
});

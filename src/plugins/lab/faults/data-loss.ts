/**
 * `lab.data-loss`: a region's orders are destroyed (lab data only), as by a bad migration or a dropped table;
 * the revert is the disaster recovery: restoring the newest backup taken before the loss (`lab.backup`). So RTO is
 * the time until the data answers again (the fault's duration, standing for the reaction time, plus the restore),
 * and RPO is what was written since the backup. Injecting with no backup is refused: it could not be reverted.
 */
import { randomUUID } from 'node:crypto';
import type { LabStatus } from '../../../lab/contract/lab-status.js';
import { defineFault, type InjectContext } from '../../api.js';
import { labAdmin } from '../../../lab/contract/admin-client.js';
import { labRef, labStillRuns, type LabRef } from '../lab-ref.js';
import type { LabSession } from '../session.js';
import { dataLossSpec } from '../specs.js';

/** `token` makes the restore happen once, even when the revert runs again after a crash. */
type DataLossState = { lab: LabRef; region: string; backup: string; token: string };

export const dataLossFault = defineFault({
  ...dataLossSpec,
  async plan(session: LabSession, p) {
    return [{ action: `delete every order in region ${p.region ?? 'primary'}; restore the newest backup on revert`, target: session.targetName }];
  },
  async inject(session: LabSession, p, ctx: InjectContext<DataLossState>) {
    const status = await session.admin<LabStatus>('GET', '/admin/status', undefined, ctx.signal);
    if (status.lastBackup === null) throw new Error('no backup to restore from: take one with a `lab.backup` action before `lab.data-loss`');
    const state: DataLossState = { lab: labRef(session), region: p.region ?? status.primary, backup: status.lastBackup, token: randomUUID() };
    await ctx.record(state);
    await session.admin('POST', '/admin/destroy-data', { region: state.region }, ctx.signal);
    return state;
  },
  async revert(_session, state, ctx) {
    if (!labStillRuns(state.lab, ctx, `the data of region ${state.region}`)) return;
    await labAdmin(state.lab.url, 'POST', '/admin/restore', { region: state.region, path: state.backup, token: state.token }, ctx.signal);
  },
});

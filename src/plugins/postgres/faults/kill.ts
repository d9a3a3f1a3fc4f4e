/**
 * `postgres.kill`: crashes the local cluster (`pg_ctl stop -m immediate`: no checkpoint, every client cut off).
 * Revert starts it again and waits until it accepts connections, unless `restart: false`: after a failover the
 * old primary must not come back as a second primary; it is rebuilt as a standby instead.
 */
import { z } from 'zod';
import type { FaultType, InjectContext } from '../../api.js';
import { clusterRunning, postmasterPid, startCluster, stopCluster } from '../../../os/postgres/local-cluster.js';
import type { PostgresSession } from '../session.js';

const params = z
  .object({
    restart: z.boolean().default(true).describe('start the cluster again on revert; false after a failover (rebuild it as a standby)'),
  })
  .strict();
type KillParams = z.output<typeof params>;

type KillState = { dataDir: string; pid: number | null; restart: boolean };

export const killFault: FaultType<PostgresSession, KillParams, KillState> = {
  type: 'postgres.kill',
  description: 'Crash the local cluster (pg_ctl stop -m immediate); revert starts it again unless restart: false',
  params,
  async plan(session, p) {
    const dataDir = session.requireDataDir('postgres.kill');
    return [{ action: `pg_ctl stop -m immediate -D ${dataDir}${p.restart ? '; started again on revert' : '; left down'}`, target: session.targetName }];
  },
  async inject(session, p, ctx: InjectContext<KillState>) {
    const dataDir = session.requireDataDir('postgres.kill');
    const programs = session.programs();
    const state: KillState = { dataDir, pid: await postmasterPid(dataDir), restart: p.restart };
    await ctx.record(state);
    const stopped = await stopCluster(dataDir, 'immediate', programs);
    ctx.logger.info(stopped ? `crashed the cluster in ${dataDir} (postmaster ${state.pid})` : `the cluster in ${dataDir} was not running`);
    return state;
  },
  async revert(session, state, ctx) {
    if (!state.restart) {
      ctx.logger.info(`left the cluster in ${state.dataDir} down (restart: false)`);
      return;
    }
    if (await clusterRunning(state.dataDir)) return;
    await startCluster(state.dataDir, session.programs());
    ctx.logger.info(`started the cluster in ${state.dataDir} again (postmaster ${await postmasterPid(state.dataDir)})`);
  },
};

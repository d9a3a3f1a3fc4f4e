/**
 * `postgres.kill`: crashes the local cluster (`pg_ctl stop -m immediate`: no checkpoint, every client cut off).
 * Revert starts it again and waits until it accepts connections, unless `restart: false`: after a failover the
 * old primary must not come back as a second primary; it is rebuilt as a standby instead.
 */
import { defineFault, type InjectContext } from '../../api.js';
import { clusterRunning, postmasterPid, startCluster, stopCluster } from '../../../os/postgres/local-cluster.js';
import type { PostgresSession } from '../session.js';
import { killSpec } from '../specs.js';

type KillState = { dataDir: string; pid: number | null; restart: boolean };

export const killFault = defineFault({
  ...killSpec,
  async plan(session: PostgresSession, p) {
    const dataDir = session.requireDataDir('postgres.kill');
    return [{ action: `pg_ctl stop -m immediate -D ${dataDir}${p.restart ? '; started again on revert' : '; left down'}`, target: session.targetName }];
  },
  async inject(session: PostgresSession, p, ctx: InjectContext<KillState>) {
    const dataDir = session.requireDataDir('postgres.kill');
    const programs = session.programs();
    const state: KillState = { dataDir, pid: await postmasterPid(dataDir), restart: p.restart };
    await ctx.record(state);
    const stopped = await stopCluster(dataDir, 'immediate', programs);
    ctx.logger.info(stopped ? `crashed the cluster in ${dataDir} (postmaster ${state.pid})` : `the cluster in ${dataDir} was not running`);
    return state;
  },
  async revert(session: PostgresSession, state, ctx) {
    if (!state.restart) {
      ctx.logger.info(`left the cluster in ${state.dataDir} down (restart: false)`);
      return;
    }
    if (await clusterRunning(state.dataDir)) return;
    await startCluster(state.dataDir, session.programs());
    ctx.logger.info(`started the cluster in ${state.dataDir} again (postmaster ${await postmasterPid(state.dataDir)})`);
  },
});

/**
 * `postgres.promote`: promotes a standby (`pg_promote()`) and waits until it leaves recovery, i.e. accepts writes.
 * Records when it did; in a failover drill that is the end of the outage.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ChaosError, ExitCode } from '../../../errors.js';
import { defineAction } from '../../api.js';
import type { PostgresSession } from '../session.js';
import { promoteSpec } from '../specs.js';

export const promoteAction = defineAction({
  ...promoteSpec,
  async run(session: PostgresSession | undefined, p, ctx) {
    if (session === undefined) throw new Error('postgres.promote needs a target');
    const started = Date.now();
    const inRecovery = async () => (await session.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r'))[0].r;
    if (!(await inRecovery())) {
      throw new ChaosError(`target ${session.targetName} (${session.shownUrl}) is already a primary; there is nothing to promote`, {
        code: 'E_PG_NOT_STANDBY',
        exitCode: ExitCode.Failed,
        hint: 'promote the standby; after a drill, `chaos lab postgres down` then `up` rebuilds the pair',
      });
    }
    // pg_promote(wait => false): we poll ourselves, so the wait honours the step's timeout and abort signal.
    await session.query('SELECT pg_promote(false)');
    const deadline = started + p.timeout;
    while (await inRecovery()) {
      if (Date.now() > deadline) {
        throw new ChaosError(`standby ${session.targetName} was still in recovery ${p.timeout} ms after pg_promote()`, {
          code: 'E_PG_PROMOTE_TIMEOUT',
          exitCode: ExitCode.Failed,
        });
      }
      await sleep(20, undefined, { signal: ctx.signal });
    }
    const promotedAt = new Date().toISOString();
    ctx.logger.info(`promoted ${session.targetName} in ${Date.now() - started} ms`);
    return { promotedAt, durationMs: Date.now() - started };
  },
});

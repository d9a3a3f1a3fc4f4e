/**
 * `postgres.replication-lag`: how far standbys are behind. On a primary: the worst standby in pg_stat_replication,
 * in bytes of WAL not yet replayed (pg_wal_lsn_diff) and seconds (replay_lag); no connected standby fails the
 * probe. On a standby: the WAL received but not replayed, in bytes, and the age of the last replayed transaction
 * in seconds (which grows on an idle primary too: give `seconds` room accordingly).
 */
import { defineProbe } from '../../api.js';
import { checkTolerance } from '../../shared/tolerance.js';
import type { PostgresSession } from '../session.js';
import { replicationLagSpec } from '../specs.js';

interface Lag {
  role: 'primary' | 'standby';
  standbys: number | null;
  bytes: number | null;
  seconds: number | null;
}

async function measureLag(session: PostgresSession): Promise<Lag> {
  const [row] = await session.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
  if (row.standby) {
    const [lag] = await session.query<{ bytes: string | null; seconds: number | null }>(
      `SELECT pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::text AS bytes,
              extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS seconds`,
    );
    return { role: 'standby', standbys: null, bytes: lag.bytes === null ? null : Number(lag.bytes), seconds: lag.seconds };
  }
  const [lag] = await session.query<{ standbys: number; bytes: string | null; seconds: number | null }>(
    `SELECT count(*)::int AS standbys,
            max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn))::text AS bytes,
            coalesce(max(extract(epoch FROM replay_lag)), 0)::float8 AS seconds
     FROM pg_stat_replication`,
  );
  return { role: 'primary', standbys: lag.standbys, bytes: lag.bytes === null ? null : Number(lag.bytes), seconds: lag.standbys === 0 ? null : lag.seconds };
}

export const replicationLagProbe = defineProbe({
  ...replicationLagSpec,
  async run(session: PostgresSession | undefined, p) {
    if (session === undefined) throw new Error('postgres.replication-lag needs a target');
    const lag = await measureLag(session);
    const output = { ...lag };
    if (lag.role === 'primary' && lag.standbys === 0) return { ok: false, message: 'no standby is connected to this primary', output };
    const parts: string[] = [];
    let ok = true;
    for (const key of ['bytes', 'seconds'] as const) {
      const tolerance = p[key];
      if (tolerance === undefined) {
        parts.push(`${key} ${lag[key] ?? 'unknown'}`);
        continue;
      }
      const verdict = checkTolerance(tolerance, lag[key]);
      ok &&= verdict.ok;
      parts.push(`${key} ${verdict.message}`);
    }
    return { ok, message: `${lag.role} lag: ${parts.join(', ')}`, output };
  },
});

/**
 * `postgres.terminate-connections`: pg_terminate_backend() of every other client session (optionally only one
 * database's or one application's), as a failover or a restart of a pooler would. Nothing to revert: clients
 * reconnect on their own, which is what the drill watches.
 */
import { defineFault, type InjectContext } from '../../api.js';
import type { PostgresSession } from '../session.js';
import { terminateConnectionsSpec } from '../specs.js';

type TerminateState = { database: string | null; application: string | null; terminated: number | null };

export const terminateConnectionsFault = defineFault({
  ...terminateConnectionsSpec,
  async inject(session: PostgresSession, p, ctx: InjectContext<TerminateState>) {
    const state: TerminateState = { database: p.database ?? null, application: p.application ?? null, terminated: null };
    await ctx.record(state);
    const rows = await session.query<{ n: number }>(
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM pg_stat_activity
       WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'
         AND ($1::text IS NULL OR datname = $1) AND ($2::text IS NULL OR application_name = $2)`,
      [state.database, state.application],
    );
    const terminated = Number(rows[0]?.n ?? 0);
    ctx.logger.info(`terminated ${terminated} session(s) on ${session.shownUrl}`);
    return { ...state, terminated };
  },
  async revert() {
    // Terminated sessions cannot be restored; the clients reconnect.
  },
});

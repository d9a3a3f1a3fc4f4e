/** `postgres.is-primary`: whether the server accepts writes (not in recovery). A failover's RTO probe on the standby. */
import { defineProbe } from '../../api.js';
import type { PostgresSession } from '../session.js';
import { isPrimarySpec } from '../specs.js';

export const isPrimaryProbe = defineProbe({
  ...isPrimarySpec,
  async run(session: PostgresSession | undefined, p) {
    if (session === undefined) throw new Error('postgres.is-primary needs a target');
    const rows = await session.withClient(async (c) => (await c.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows, undefined, 2_000);
    const primary = !rows[0].r;
    const ok = primary === p.primary;
    const now = primary ? 'a primary' : 'a standby (in recovery)';
    return { ok, message: ok ? `${session.targetName} is ${now}` : `${session.targetName} is ${now}, expected ${p.primary ? 'a primary' : 'a standby'}`, output: { primary } };
  },
});

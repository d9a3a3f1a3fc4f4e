/** `postgres.is-primary`: whether the server accepts writes (not in recovery). A failover's RTO probe on the standby. */
import { z } from 'zod';
import type { ProbeType } from '../../api.js';
import type { PostgresSession } from '../session.js';

const params = z
  .object({ expect: z.boolean().default(true).describe('true: the server must be a primary; false: a standby') })
  .strict();
type IsPrimaryParams = z.output<typeof params>;

export const isPrimaryProbe: ProbeType<PostgresSession, IsPrimaryParams> = {
  type: 'postgres.is-primary',
  description: 'Whether the server is a primary (pg_is_in_recovery() is false)',
  needsTarget: true,
  params,
  async run(session, p) {
    if (session === undefined) throw new Error('postgres.is-primary needs a target');
    const rows = await session.withClient(async (c) => (await c.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows, undefined, 2_000);
    const primary = !rows[0]!.r;
    const ok = primary === p.expect;
    const now = primary ? 'a primary' : 'a standby (in recovery)';
    return { ok, message: ok ? `${session.targetName} is ${now}` : `${session.targetName} is ${now}, expected ${p.expect ? 'a primary' : 'a standby'}`, output: { primary } };
  },
};

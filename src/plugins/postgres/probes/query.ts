/**
 * `postgres.query`: runs a query and checks the first column of its first row (null when there is no row) against
 * a tolerance: `SELECT count(*) FROM orders` with `expect: { range: [1000, 2000] }`.
 */
import { z } from 'zod';
import type { Json } from '../../../json.js';
import type { ProbeType } from '../../api.js';
import { checkTolerance, toleranceSchema } from '../../shared/tolerance.js';
import type { PostgresSession } from '../session.js';

const params = z
  .object({
    sql: z.string().min(1).describe('a query; its first column of its first row is the value'),
    expect: toleranceSchema.optional().describe('the tolerance the value must satisfy (default: the query succeeds)'),
    database: z.string().min(1).optional().describe('another database of the same server'),
  })
  .strict();
type QueryParams = z.output<typeof params>;

function jsonOf(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.parse(JSON.stringify(value)) as Json;
}

export const queryProbe: ProbeType<PostgresSession, QueryParams> = {
  type: 'postgres.query',
  description: 'Run a query and check its first value against a tolerance',
  needsTarget: true,
  params,
  async run(session, p) {
    if (session === undefined) throw new Error('postgres.query needs a target');
    const rows = await session.withClient(async (c) => (await c.query({ text: p.sql, rowMode: 'array' })).rows as unknown[][], p.database, 5_000);
    const value = jsonOf(rows[0]?.[0] ?? null);
    const output = { value, rows: rows.length };
    if (p.expect === undefined) return { ok: true, message: `query returned ${JSON.stringify(value)}`, output };
    const verdict = checkTolerance(p.expect, value);
    return { ok: verdict.ok, message: verdict.message, output };
  },
};

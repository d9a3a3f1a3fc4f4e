/**
 * `postgres.query`: runs a query and checks the first column of its first row (null when there is no row) against
 * a tolerance: `SELECT count(*) FROM orders` with `expect: { range: [1000, 2000] }`.
 */
import type { Json } from '../../../json.js';
import { defineProbe } from '../../api.js';
import { checkTolerance } from '../../shared/tolerance.js';
import type { PostgresSession } from '../session.js';
import { querySpec } from '../specs.js';

function jsonOf(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.parse(JSON.stringify(value)) as Json;
}

export const queryProbe = defineProbe({
  ...querySpec,
  async run(session: PostgresSession | undefined, p) {
    if (session === undefined) throw new Error('postgres.query needs a target');
    const rows = await session.withClient(async (c) => (await c.query({ text: p.sql, rowMode: 'array' })).rows as unknown[][], p.database, 5_000);
    const value = jsonOf(rows[0]?.[0] ?? null);
    const output = { value, rows: rows.length };
    if (p.expect === undefined) return { ok: true, message: `query returned ${JSON.stringify(value)}`, output };
    const verdict = checkTolerance(p.expect, value);
    return { ok: verdict.ok, message: verdict.message, output };
  },
});

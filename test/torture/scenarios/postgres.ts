/**
 * A real PostgreSQL: a backup, then a destructive fault (truncate, delete-rows or drop-table) on the trial's own
 * table, and some of block-writes, kill (the whole cluster), corrupt-backup and terminate-connections. Trials of
 * this scenario run one at a time: block-writes and kill act on the whole server. Left behind: the table not
 * restored, the server read-only or down, a corrupted copy of the backup.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { clusterRunning, startCluster } from '../../../src/os/postgres/local-cluster.js';
import { sql, testPrograms } from '../../support/postgres-cluster.js';
import type { Scenario } from '../scenario.js';
import { durationLine } from './durations.js';

const ROWS = 50;

export const postgresScenario: Scenario = {
  name: 'postgres',
  faults: ['postgres.truncate', 'postgres.delete-rows', 'postgres.drop-table', 'postgres.block-writes', 'postgres.kill', 'postgres.corrupt-backup', 'postgres.terminate-connections'],
  unavailable: (env) => ('unavailable' in env.postgres ? env.postgres.unavailable : null),
  windowMs: 5_000,
  exclusiveGroup: 'postgres',
  async prepare({ dir, token, env, random }) {
    if ('unavailable' in env.postgres) throw new Error(env.postgres.unavailable);
    const { primary } = env.postgres.pair;
    const table = `t_${token}`;
    await sql(primary.url, `CREATE TABLE ${table} (id integer PRIMARY KEY, v text NOT NULL)`);
    await sql(primary.url, `INSERT INTO ${table} SELECT g, 'row ' || g FROM generate_series(1, ${ROWS}) g`);
    const destructive = random.pick([
      `{ type: postgres.truncate, target: db, tables: [${table}] }`,
      `{ type: postgres.delete-rows, target: db, table: ${table}, where: "id % 2 = 0" }`,
      `{ type: postgres.drop-table, target: db, tables: [${table}] }`,
    ]);
    const others = [
      `  - fault: { type: postgres.block-writes, target: db }\n${durationLine(random)}`,
      `  - fault: { type: postgres.kill, target: db }\n${durationLine(random)}`,
      `  - fault: { type: postgres.corrupt-backup, target: db }\n${durationLine(random)}`,
      `  - fault: { type: postgres.terminate-connections, target: db }\n`,
    ].filter(() => random.next() < 0.5);
    const experiment = `version: 1
name: torture-postgres
targets:
  db: { type: postgres, url: "${primary.url}", dataDir: "${primary.dataDir}", allowDestructive: true }
method:
  - action: { type: postgres.backup, target: db, tables: [${table}] }
  - fault: ${destructive}
${durationLine(random)}${others.join('')}  - pause: 30s
`;
    return {
      experiment,
      ownPids: [],
      async leftovers() {
        if (!(await clusterRunning(primary.dataDir))) return ['the PostgreSQL server is down (postgres.kill not reverted)'];
        const left: string[] = [];
        const [readOnly] = await sql<{ default_transaction_read_only: string }>(primary.url, 'SHOW default_transaction_read_only');
        if (readOnly?.default_transaction_read_only !== 'off') left.push('the server is still read-only (postgres.block-writes)');
        try {
          const [row] = await sql<{ n: string; total: string }>(primary.url, `SELECT count(*) AS n, coalesce(sum(id), 0) AS total FROM ${table}`);
          if (Number(row?.n) !== ROWS || Number(row?.total) !== (ROWS * (ROWS + 1)) / 2) left.push(`table ${table} holds ${row?.n} rows, not the ${ROWS} it had: not restored`);
        } catch (error) {
          left.push(`table ${table} cannot be read (${(error as Error).message}): not restored`);
        }
        const files = await readdir(join(dir, 'run')).catch(() => [] as string[]);
        for (const file of files.filter((f) => f.includes('.corrupt-'))) left.push(`corrupted backup copy ${file} is still there`);
        return left;
      },
      async cleanup() {
        // Whatever the trial did, the next one finds the server up, writable and without this table.
        if (!(await clusterRunning(primary.dataDir))) await startCluster(primary.dataDir, testPrograms());
        await sql(primary.url, 'SET default_transaction_read_only = off; ALTER SYSTEM RESET default_transaction_read_only; SELECT pg_reload_conf()').catch(() => undefined);
        await sql(primary.url, `SET default_transaction_read_only = off; DROP TABLE IF EXISTS ${table}`);
      },
    };
  },
};

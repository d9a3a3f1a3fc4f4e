/** The `postgres` plugin's types as the registry knows them before the plugin is loaded: names, descriptions, schemas. */
import { z } from 'zod';
import { durationSchema } from '../../units/duration.js';
import type { ActionSpec, FaultSpec, ProbeSpec, RpoStoreSpec } from '../api.js';
import { toleranceSchema } from '../../units/tolerance-schema.js';

export const killSpec = {
  type: 'postgres.kill',
  description: 'Crash the local cluster (pg_ctl stop -m immediate); revert starts it again unless restart: false',
  params: z
    .object({
      restart: z.boolean().default(true).describe('start the cluster again on revert; false after a failover (rebuild it as a standby)'),
    })
    .strict(),
} satisfies FaultSpec;

export const terminateConnectionsSpec = {
  type: 'postgres.terminate-connections',
  description: 'Terminate other client sessions (pg_terminate_backend); nothing to revert',
  params: z
    .object({
      database: z.string().min(1).optional().describe('only sessions connected to this database'),
      application: z.string().min(1).optional().describe('only sessions with this application_name'),
    })
    .strict(),
} satisfies FaultSpec;

export const blockWritesSpec = {
  type: 'postgres.block-writes',
  description: 'Make the server read-only (default_transaction_read_only) and cut open sessions; revert resets it',
  params: z.object({}).strict(),
} satisfies FaultSpec;

export const corruptBackupSpec = {
  type: 'postgres.corrupt-backup',
  description: 'Flip bytes in a copy of the run\'s backup, which later steps then use; revert deletes the copy',
  params: z
    .object({ bytes: z.int().min(1).max(4096).default(16).describe('how many bytes to flip, spread over the middle half of the file') })
    .strict(),
} satisfies FaultSpec;

export const querySpec = {
  type: 'postgres.query',
  description: 'Run a query and check its first value against a tolerance',
  needsTarget: true,
  params: z
    .object({
      sql: z.string().min(1).describe('a query; its first column of its first row is the value'),
      expect: toleranceSchema.optional().describe('the tolerance the value must satisfy (default: the query succeeds)'),
      database: z.string().min(1).optional().describe('another database of the same server'),
    })
    .strict(),
} satisfies ProbeSpec;

export const replicationLagSpec = {
  type: 'postgres.replication-lag',
  description: 'Replication lag in bytes and seconds, on a primary (worst standby) or on a standby',
  needsTarget: true,
  params: z
    .object({
      bytes: toleranceSchema.optional().describe('tolerance on the lag in bytes, e.g. { range: [0, 1048576] }'),
      seconds: toleranceSchema.optional().describe('tolerance on the lag in seconds, e.g. { range: [0, 5] }'),
    })
    .strict(),
} satisfies ProbeSpec;

export const isPrimarySpec = {
  type: 'postgres.is-primary',
  description: 'Whether the server is a primary (pg_is_in_recovery() is false)',
  needsTarget: true,
  params: z
    .object({ primary: z.boolean().default(true).describe('true: the server must be a primary; false: a standby') })
    .strict(),
} satisfies ProbeSpec;

export const backupSpec = {
  type: 'postgres.backup',
  description: 'Back up the database (pg_dump -Fc) or the cluster (pg_basebackup), recording WAL position, row counts and checksums',
  needsTarget: true,
  params: z
    .object({
      kind: z.enum(['logical', 'physical']).default('logical').describe('logical: pg_dump -Fc of the database; physical: pg_basebackup of the cluster'),
      dir: z.string().min(1).optional().describe('where the backup goes (default: the run folder)'),
      tables: z.array(z.string().min(1)).min(1).optional().describe('tables to count and checksum for postgres.verify (default: all)'),
    })
    .strict(),
} satisfies ActionSpec;

export const restoreSpec = {
  type: 'postgres.restore',
  description: 'Restore a backup: pg_restore into the database, a new database or some tables; a physical backup into a data directory',
  needsTarget: true,
  params: z
    .object({
      backup: z.string().min(1).optional().describe('the backup to restore (default: the newest this run took on the target)'),
      intoDatabase: z.string().min(1).optional().describe('restore into this new database instead of the target\'s'),
      tables: z.array(z.string().min(1)).min(1).optional().describe('restore only these tables (replacing them)'),
      dataDir: z.string().min(1).optional().describe('physical backups: the (new or empty) data directory to restore into'),
    })
    .strict(),
} satisfies ActionSpec;

export const verifySpec = {
  type: 'postgres.verify',
  description: 'Check a backup is intact and the data has the row counts and checksums recorded at backup time',
  needsTarget: true,
  params: z
    .object({
      backup: z.string().min(1).optional().describe('the backup to verify against (default: the newest this run took on the target)'),
      database: z.string().min(1).optional().describe('the database to check (default the target\'s; e.g. a restore\'s intoDatabase)'),
      tables: z.array(z.string().min(1)).min(1).optional().describe('check only these tables (default: every table the backup counted)'),
      data: z.boolean().default(true).describe('false: check only the backup file, not the database'),
    })
    .strict(),
} satisfies ActionSpec;

export const promoteSpec = {
  type: 'postgres.promote',
  description: 'Promote a standby to primary (pg_promote) and wait until it accepts writes',
  needsTarget: true,
  params: z
    .object({ timeout: durationSchema.prefault('30s').describe('how long the promotion may take') })
    .strict(),
} satisfies ActionSpec;

export const dropTableSpec = {
  type: 'postgres.drop-table',
  description: 'Drop tables (needs allowDestructive and a backup earlier in the run); revert restores them from the backup',
  params: z
    .object({ tables: z.array(z.string().min(1)).min(1).describe('tables to drop: `orders` or `shop.orders`') })
    .strict(),
} satisfies FaultSpec;

export const truncateSpec = {
  type: 'postgres.truncate',
  description: 'Empty tables with TRUNCATE (needs allowDestructive and a backup earlier in the run); revert restores them',
  params: z
    .object({ tables: z.array(z.string().min(1)).min(1).describe('tables to empty: `orders` or `shop.orders`') })
    .strict(),
} satisfies FaultSpec;

export const deleteRowsSpec = {
  type: 'postgres.delete-rows',
  description: 'DELETE rows matching `where` (needs allowDestructive and a backup earlier in the run); revert restores the table',
  params: z
    .object({
      table: z.string().min(1).describe('`orders` or `shop.orders`'),
      where: z.string().min(1).describe('an SQL condition, e.g. `id % 10 = 0`; `true` deletes every row'),
    })
    .strict(),
} satisfies FaultSpec;

const rpoEndpointSchema = z.strictObject({
  url: z.string().regex(/^postgres(ql)?:\/\//, 'expected postgres://user@host:port/database')
    .meta({ description: 'The database; the reader may be another server (after a failover, the promoted standby)' }),
  table: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/, 'expected a table name such as chaos_rpo_ledger or shop.ledger')
    .default('chaos_rpo_ledger')
    .meta({ description: 'The ledger table, created before the method and dropped at the end: never an application table' }),
});

/** An RPO writer or reader over SQL (see rpo-store.ts). */
export const postgresRpoStoreSpec = { endpoint: () => rpoEndpointSchema } satisfies RpoStoreSpec;

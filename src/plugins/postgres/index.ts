/**
 * The `postgres` plugin: a target is a PostgreSQL database (a URL), optionally with the local cluster behind it
 * (`dataDir`). Backup, restore, verify and promote; destructive faults that restore from the run's backup on
 * revert, a crash, cut sessions, read-only mode, a damaged backup; probes for values, replication lag and role;
 * an RPO writer and reader over SQL. This is its manifest, what the registry holds; the implementation, and pg
 * with it, loads when a run first needs it.
 */
import type { ConfigOf, PluginManifest } from '../api.js';
import { postgresTarget } from './config.js';
import type { PostgresSession } from './session.js';
import {
  backupSpec,
  blockWritesSpec,
  corruptBackupSpec,
  deleteRowsSpec,
  dropTableSpec,
  isPrimarySpec,
  killSpec,
  postgresRpoStoreSpec,
  promoteSpec,
  querySpec,
  replicationLagSpec,
  restoreSpec,
  terminateConnectionsSpec,
  truncateSpec,
  verifySpec,
} from './specs.js';

export const postgresPlugin: PluginManifest<ConfigOf<typeof postgresTarget>, PostgresSession> = {
  name: 'postgres',
  description: 'A PostgreSQL database: backup/restore/verify drills, failover, SQL probes',
  ...postgresTarget,
  faults: [dropTableSpec, truncateSpec, deleteRowsSpec, killSpec, terminateConnectionsSpec, blockWritesSpec, corruptBackupSpec],
  probes: [querySpec, replicationLagSpec, isPrimarySpec],
  actions: [backupSpec, restoreSpec, verifySpec, promoteSpec],
  rpoStore: postgresRpoStoreSpec,
  load: async () => (await import('./implementation.js')).postgresImplementation,
};

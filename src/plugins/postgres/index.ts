/**
 * The `postgres` plugin: a target is a PostgreSQL database (a URL), optionally with the local cluster behind it
 * (`dataDir`). Backup, restore, verify and promote; destructive faults that restore from the run's backup on
 * revert, a crash, cut sessions, read-only mode, a damaged backup; probes for values, replication lag and role;
 * an RPO writer and reader over SQL.
 */
import type { ChaosPlugin } from '../api.js';
import { backupAction } from './actions/backup.js';
import { promoteAction } from './actions/promote.js';
import { restoreAction } from './actions/restore.js';
import { verifyAction } from './actions/verify.js';
import { postgresConfigSchema, postgresTargetKey, type PostgresConfig } from './config.js';
import { blockWritesFault } from './faults/block-writes.js';
import { corruptBackupFault } from './faults/corrupt-backup.js';
import { deleteRowsFault } from './faults/delete-rows.js';
import { dropTableFault } from './faults/drop-table.js';
import { killFault } from './faults/kill.js';
import { terminateConnectionsFault } from './faults/terminate-connections.js';
import { truncateFault } from './faults/truncate.js';
import { isPrimaryProbe } from './probes/is-primary.js';
import { queryProbe } from './probes/query.js';
import { replicationLagProbe } from './probes/replication-lag.js';
import { postgresRpoStore } from './rpo-store.js';
import { connectPostgres, type PostgresSession } from './session.js';

export const postgresPlugin: ChaosPlugin<PostgresConfig, PostgresSession> = {
  name: 'postgres',
  description: 'A PostgreSQL database: backup/restore/verify drills, failover, SQL probes',
  config: postgresConfigSchema,
  attributes: ['host', 'port', 'database', 'serverVersion', 'isPrimary'],
  targetKey: postgresTargetKey,
  connect: connectPostgres,
  faults: [dropTableFault, truncateFault, deleteRowsFault, killFault, terminateConnectionsFault, blockWritesFault, corruptBackupFault],
  probes: [queryProbe, replicationLagProbe, isPrimaryProbe],
  actions: [backupAction, restoreAction, verifyAction, promoteAction],
  rpoStore: postgresRpoStore,
};

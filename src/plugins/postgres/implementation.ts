/** The `postgres` plugin's implementation, loaded on demand (see index.ts). */
import type { ConfigOf, PluginImplementation } from '../api.js';
import { backupAction } from './actions/backup.js';
import { promoteAction } from './actions/promote.js';
import { restoreAction } from './actions/restore.js';
import { verifyAction } from './actions/verify.js';
import type { postgresTarget } from './config.js';
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

export const postgresImplementation: PluginImplementation<ConfigOf<typeof postgresTarget>, PostgresSession> = {
  connect: connectPostgres,
  faults: [dropTableFault, truncateFault, deleteRowsFault, killFault, terminateConnectionsFault, blockWritesFault, corruptBackupFault],
  probes: [queryProbe, replicationLagProbe, isPrimaryProbe],
  actions: [backupAction, restoreAction, verifyAction, promoteAction],
  rpoStore: postgresRpoStore,
};

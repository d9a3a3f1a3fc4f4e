/** The `lab` plugin's implementation, loaded on demand (see index.ts). */
import type { ConfigOf, PluginImplementation } from '../api.js';
import { backupAction } from './actions/backup.js';
import { deployAction } from './actions/deploy.js';
import { destroyDataAction } from './actions/destroy-data.js';
import { failbackAction } from './actions/failback.js';
import { restoreAction } from './actions/restore.js';
import { rollbackAction } from './actions/rollback.js';
import { dataLossFault } from './faults/data-loss.js';
import { killInstanceFault } from './faults/kill-instance.js';
import { latencyFault } from './faults/latency.js';
import { partitionFault } from './faults/partition.js';
import { regionOutageFault } from './faults/region-outage.js';
import { statusProbe } from './probes/status.js';
import type { labTarget } from './specs.js';
import { connectLab, type LabSession } from './session.js';

export const labImplementation: PluginImplementation<ConfigOf<typeof labTarget>, LabSession> = {
  connect: connectLab,
  faults: [killInstanceFault, regionOutageFault, partitionFault, latencyFault, dataLossFault],
  probes: [statusProbe],
  actions: [failbackAction, backupAction, destroyDataAction, restoreAction, deployAction, rollbackAction],
};

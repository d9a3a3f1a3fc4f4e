/**
 * The `lab` plugin: the built-in multi-region sample system as a target (started for a run, or the one `chaos lab
 * up` keeps running), with faults (instance kill, region outage, replication partition, latency), actions
 * (failback, backup, destroy data, restore, deploy, rollback) and a status probe.
 */
import { labSettingsSchema, type LabSettings } from '../../lab/contract/lab-settings.js';
import type { ChaosPlugin } from '../api.js';
import { withoutCredentials } from '../shared/url-credentials.js';
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
import { connectLab, LAB_ATTRIBUTES, type LabSession } from './session.js';

export const labPlugin: ChaosPlugin<LabSettings, LabSession> = {
  name: 'lab',
  description: 'The built-in multi-region lab: orders service in regions A and B, router, replication, proxies',
  config: labSettingsSchema,
  attributes: LAB_ATTRIBUTES,
  // One lab per name: two runs must not fault the same lab at once.
  targetKey: (config) => (config.url === undefined ? `lab:${config.name}` : `lab:${withoutCredentials(config.url)}`),
  connect: connectLab,
  faults: [killInstanceFault, regionOutageFault, partitionFault, latencyFault, dataLossFault],
  probes: [statusProbe],
  actions: [failbackAction, backupAction, destroyDataAction, restoreAction, deployAction, rollbackAction],
};

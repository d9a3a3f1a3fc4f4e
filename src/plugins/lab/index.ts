/**
 * The `lab` plugin: the built-in multi-region sample system as a target (started for a run, or the one `chaos lab
 * up` keeps running), with faults (instance kill, region outage, replication partition, latency), actions
 * (failback, backup, destroy data, restore, deploy, rollback) and a status probe. This is its manifest, what the
 * registry holds; the implementation loads when a run first needs it.
 */
import { labSettingsSchema, type LabSettings } from '../../lab/contract/lab-settings.js';
import type { PluginManifest } from '../api.js';
import { withoutCredentials } from '../shared/url-credentials.js';
import type { LabSession } from './session.js';
import {
  backupSpec,
  dataLossSpec,
  deploySpec,
  destroyDataSpec,
  failbackSpec,
  killInstanceSpec,
  LAB_ATTRIBUTES,
  latencySpec,
  partitionSpec,
  regionOutageSpec,
  restoreSpec,
  rollbackSpec,
  statusSpec,
} from './specs.js';

export const labPlugin: PluginManifest<LabSettings, LabSession> = {
  name: 'lab',
  description: 'The built-in multi-region lab: orders service in regions A and B, router, replication, proxies',
  config: labSettingsSchema,
  attributes: LAB_ATTRIBUTES,
  // One lab per name: two runs must not fault the same lab at once.
  targetKey: (config) => (config.url === undefined ? `lab:${config.name}` : `lab:${withoutCredentials(config.url)}`),
  faults: [killInstanceSpec, regionOutageSpec, partitionSpec, latencySpec, dataLossSpec],
  probes: [statusSpec],
  actions: [failbackSpec, backupSpec, destroyDataSpec, restoreSpec, deploySpec, rollbackSpec],
  load: async () => (await import('./implementation.js')).labImplementation,
};

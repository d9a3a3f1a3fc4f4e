/**
 * The `lab` plugin: the built-in multi-region sample system as a target (started for a run, or the one `chaos lab
 * up` keeps running), with faults (instance kill, region outage, replication partition, latency), actions
 * (failback, backup, destroy data, restore, deploy, rollback) and a status probe. This is its manifest, what the
 * registry holds; the implementation loads when a run first needs it.
 */
import type { ConfigOf, PluginManifest } from '../api.js';
import type { LabSession } from './session.js';
import {
  backupSpec,
  dataLossSpec,
  deploySpec,
  destroyDataSpec,
  failbackSpec,
  killInstanceSpec,
  labTarget,
  latencySpec,
  partitionSpec,
  regionOutageSpec,
  restoreSpec,
  rollbackSpec,
  statusSpec,
} from './specs.js';

export const labPlugin: PluginManifest<ConfigOf<typeof labTarget>, LabSession> = {
  name: 'lab',
  description: 'The built-in multi-region lab: orders service in regions A and B, router, replication, proxies',
  ...labTarget,
  faults: [killInstanceSpec, regionOutageSpec, partitionSpec, latencySpec, dataLossSpec],
  probes: [statusSpec],
  actions: [failbackSpec, backupSpec, destroyDataSpec, restoreSpec, deploySpec, rollbackSpec],
  load: async () => (await import('./implementation.js')).labImplementation,
};

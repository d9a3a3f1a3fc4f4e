/**
 * The `process` plugin: a target is one OS process, either started by the run (`command`) or existing (`pid`,
 * `pidFile`). Faults kill, pause or restart it; a probe tells whether it runs. This is its manifest, what the
 * registry holds; the implementation loads when a run first needs it.
 */
import type { ConfigOf, PluginManifest } from '../api.js';
import { managedProcessResourceSpec } from '../shared/managed-resource-spec.js';
import { processTarget } from './config.js';
import type { ProcessSession } from './session.js';
import { killSpec, pauseSpec, restartSpec, runningSpec } from './specs.js';

export const processPlugin: PluginManifest<ConfigOf<typeof processTarget>, ProcessSession> = {
  name: 'process',
  description: 'An OS process: started by the run (command) or existing (pid, pidFile)',
  ...processTarget,
  faults: [killSpec, pauseSpec, restartSpec],
  probes: [runningSpec],
  resources: [managedProcessResourceSpec],
  load: async () => (await import('./implementation.js')).processImplementation,
};

/**
 * The `process` plugin: a target is one OS process, either started by the run (`command`) or existing (`pid`,
 * `pidFile`). Faults kill, pause or restart it; a probe tells whether it runs. This is its manifest, what the
 * registry holds; the implementation loads when a run first needs it.
 */
import type { PluginManifest } from '../api.js';
import { managedProcessResourceSpec } from '../shared/managed-resource-spec.js';
import { processConfigSchema, processTargetKey, type ProcessConfig } from './config.js';
import type { ProcessSession } from './session.js';
import { killSpec, pauseSpec, restartSpec, runningSpec } from './specs.js';

export const processPlugin: PluginManifest<ProcessConfig, ProcessSession> = {
  name: 'process',
  description: 'An OS process: started by the run (command) or existing (pid, pidFile)',
  config: processConfigSchema,
  attributes: ['pid'],
  targetKey: processTargetKey,
  hostLocal: true,
  faults: [killSpec, pauseSpec, restartSpec],
  probes: [runningSpec],
  resources: [managedProcessResourceSpec],
  load: async () => (await import('./implementation.js')).processImplementation,
};

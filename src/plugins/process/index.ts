/**
 * The `process` plugin: a target is one OS process, either started by the run (`command`) or existing (`pid`,
 * `pidFile`). Faults kill, pause or restart it; a probe tells whether it runs.
 */
import type { ChaosPlugin } from '../api.js';
import { processConfigSchema, processTargetKey, type ProcessConfig } from './config.js';
import { killFault } from './faults/kill.js';
import { pauseFault } from './faults/pause.js';
import { restartFault } from './faults/restart.js';
import { managedProcessResource } from '../shared/managed-resource.js';
import { runningProbe } from './probes/running.js';
import { connectProcess, type ProcessSession } from './session.js';

export const processPlugin: ChaosPlugin<ProcessConfig, ProcessSession> = {
  name: 'process',
  description: 'An OS process: started by the run (command) or existing (pid, pidFile)',
  config: processConfigSchema,
  attributes: ['pid'],
  targetKey: processTargetKey,
  hostLocal: true,
  connect: connectProcess,
  faults: [killFault, pauseFault, restartFault],
  probes: [runningProbe],
  resources: [managedProcessResource],
};

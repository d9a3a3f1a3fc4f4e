/** The `process` plugin's implementation, loaded on demand (see index.ts). */
import type { ConfigOf, PluginImplementation } from '../api.js';
import { managedProcessResource } from '../shared/managed-resource.js';
import type { processTarget } from './config.js';
import { killFault } from './faults/kill.js';
import { pauseFault } from './faults/pause.js';
import { restartFault } from './faults/restart.js';
import { runningProbe } from './probes/running.js';
import { connectProcess, type ProcessSession } from './session.js';

export const processImplementation: PluginImplementation<ConfigOf<typeof processTarget>, ProcessSession> = {
  connect: connectProcess,
  faults: [killFault, pauseFault, restartFault],
  probes: [runningProbe],
  resources: [managedProcessResource],
};

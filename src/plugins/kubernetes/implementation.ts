/** The `kubernetes` plugin's implementation, loaded on demand (see index.ts). */
import type { ConfigOf, PluginImplementation } from '../api.js';
import { deployAction } from './actions/deploy.js';
import { rollbackAction } from './actions/rollback.js';
import { rolloutRestartAction } from './actions/rollout-restart.js';
import type { kubernetesTarget } from './config.js';
import { chaosMeshFault } from './faults/chaos-mesh.js';
import { networkPartitionFault } from './faults/network-partition.js';
import { nodeDrainFault } from './faults/node-drain.js';
import { podKillFault } from './faults/pod-kill.js';
import { scaleFault } from './faults/scale.js';
import { deploymentAvailableProbe } from './probes/deployment-available.js';
import { podsReadyProbe } from './probes/pods-ready.js';
import { resourceProbe } from './probes/resource.js';
import { connectKubernetes, type KubernetesSession } from './session.js';

export const kubernetesImplementation: PluginImplementation<ConfigOf<typeof kubernetesTarget>, KubernetesSession> = {
  connect: connectKubernetes,
  faults: [podKillFault, networkPartitionFault, scaleFault, nodeDrainFault, chaosMeshFault],
  probes: [podsReadyProbe, deploymentAvailableProbe, resourceProbe],
  actions: [deployAction, rollbackAction, rolloutRestartAction],
};

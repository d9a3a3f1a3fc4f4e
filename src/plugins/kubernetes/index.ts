/**
 * The `kubernetes` plugin: a target is a namespace of a cluster reached through a kubeconfig context (or
 * in-cluster). Faults kill pods, partition them, scale workloads, drain nodes and create Chaos Mesh resources;
 * actions drive deploy and rollback drills; probes read readiness, rollouts and any object.
 */
import type { ChaosPlugin } from '../api.js';
import { apiPermissionsOf } from './access.js';
import { deployAction } from './actions/deploy.js';
import { rollbackAction } from './actions/rollback.js';
import { rolloutRestartAction } from './actions/rollout-restart.js';
import { kubernetesConfigSchema, kubernetesTargetKey, type KubernetesConfig } from './config.js';
import { chaosMeshFault } from './faults/chaos-mesh.js';
import { networkPartitionFault } from './faults/network-partition.js';
import { nodeDrainFault } from './faults/node-drain.js';
import { podKillFault } from './faults/pod-kill.js';
import { scaleFault } from './faults/scale.js';
import { deploymentAvailableProbe } from './probes/deployment-available.js';
import { podsReadyProbe } from './probes/pods-ready.js';
import { resourceProbe } from './probes/resource.js';
import { connectKubernetes, type KubernetesSession } from './session.js';

export const kubernetesPlugin: ChaosPlugin<KubernetesConfig, KubernetesSession> = {
  name: 'kubernetes',
  description: 'A namespace of a Kubernetes cluster (kubeconfig context, or in-cluster)',
  config: kubernetesConfigSchema,
  attributes: ['namespace', 'server'],
  targetKey: kubernetesTargetKey,
  connect: connectKubernetes,
  apiPermissions: apiPermissionsOf,
  faults: [podKillFault, networkPartitionFault, scaleFault, nodeDrainFault, chaosMeshFault],
  probes: [podsReadyProbe, deploymentAvailableProbe, resourceProbe],
  actions: [deployAction, rollbackAction, rolloutRestartAction],
};

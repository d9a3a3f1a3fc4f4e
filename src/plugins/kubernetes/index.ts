/**
 * The `kubernetes` plugin: a target is a namespace of a cluster reached through a kubeconfig context (or
 * in-cluster). Faults kill pods, partition them, scale workloads, drain nodes and create Chaos Mesh resources;
 * actions drive deploy and rollback drills; probes read readiness, rollouts and any object. This is its manifest,
 * what the registry holds; the implementation, and @kubernetes/client-node with it, loads when a run first needs it.
 */
import type { ConfigOf, PluginManifest } from '../api.js';
import { kubernetesTarget } from './config.js';
import type { KubernetesSession } from './session.js';
import {
  chaosMeshSpec,
  deploySpec,
  deploymentAvailableSpec,
  networkPartitionSpec,
  nodeDrainSpec,
  podKillSpec,
  podsReadySpec,
  resourceSpec,
  rollbackSpec,
  rolloutRestartSpec,
  scaleSpec,
} from './specs.js';

export const kubernetesPlugin: PluginManifest<ConfigOf<typeof kubernetesTarget>, KubernetesSession> = {
  name: 'kubernetes',
  description: 'A namespace of a Kubernetes cluster (kubeconfig context, or in-cluster)',
  ...kubernetesTarget,
  faults: [podKillSpec, networkPartitionSpec, scaleSpec, nodeDrainSpec, chaosMeshSpec],
  probes: [podsReadySpec, deploymentAvailableSpec, resourceSpec],
  actions: [deploySpec, rollbackSpec, rolloutRestartSpec],
  load: async () => (await import('./implementation.js')).kubernetesImplementation,
};

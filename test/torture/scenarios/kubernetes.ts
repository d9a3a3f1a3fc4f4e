/**
 * Kubernetes, on the fake API server: a Deployment scaled down, a NetworkPolicy partition, a Chaos Mesh resource,
 * a node drained (cordoned) and pods killed, in the trial's own namespace and node. Trials of this scenario run
 * one at a time: a drain evicts every pod of its node, whatever namespace. Left behind: a replica count not
 * restored, a NetworkPolicy or Chaos Mesh object, a node still cordoned.
 */
import type { KubeObject } from '../../support/fake-kube/store.js';
import type { Scenario } from '../scenario.js';
import { durationLine } from './durations.js';

const REPLICAS = 3;
const NAMESPACED = ['deployments', 'replicasets', 'pods', 'networkpolicies', 'podchaos'];

export const kubernetesScenario: Scenario = {
  name: 'kubernetes',
  faults: ['kubernetes.scale', 'kubernetes.network-partition', 'kubernetes.chaos-mesh', 'kubernetes.node-drain', 'kubernetes.pod-kill'],
  unavailable: () => null,
  windowMs: 3_000,
  exclusiveGroup: 'kubernetes',
  async prepare({ token, env, random }) {
    const { store } = env.kube.server;
    const node = `node-${token}`;
    store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: token }, status: { phase: 'Active' } });
    store.create('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: node, labels: { 'kubernetes.io/hostname': node } }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
    store.create('deployments', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: token },
      spec: { replicas: REPLICAS, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } } },
    });
    const faults = [
      `  - fault: { type: kubernetes.scale, target: k8s, name: web, replicas: 1 }\n${durationLine(random)}`,
      `  - fault: { type: kubernetes.network-partition, target: k8s, podSelector: { app: web } }\n${durationLine(random)}`,
      `  - fault: { type: kubernetes.chaos-mesh, target: k8s, kind: PodChaos, spec: { action: pod-failure, mode: one, selector: { namespaces: [${token}] } } }\n${durationLine(random)}`,
      `  - fault: { type: kubernetes.node-drain, target: k8s, name: ${node}, timeout: 5s }\n${durationLine(random)}`,
      `  - fault: { type: kubernetes.pod-kill, target: k8s, labelSelector: app=web }\n`,
    ];
    const order = [...faults].sort(() => random.next() - 0.5);
    const experiment = `version: 1
name: torture-kubernetes
targets:
  k8s: { type: kubernetes, kubeconfig: "${env.kube.kubeconfig}", namespace: ${token} }
safety: { allowNamespaces: [${token}] }
method:
${order.join('')}  - pause: 30s
`;
    return {
      experiment,
      ownPids: [],
      async leftovers() {
        const left: string[] = [];
        const replicas = store.get('deployments', token, 'web')?.spec?.replicas;
        if (replicas !== REPLICAS) left.push(`Deployment web has ${String(replicas)} replicas, not ${REPLICAS}`);
        for (const plural of ['networkpolicies', 'podchaos']) {
          for (const object of store.list(plural, token)) left.push(`${object.kind} ${object.metadata.name} is still in namespace ${token}`);
        }
        if ((store.get('nodes', null, node) as KubeObject | undefined)?.spec?.unschedulable === true) left.push(`node ${node} is still cordoned`);
        return left;
      },
      async cleanup() {
        for (const plural of NAMESPACED) for (const object of store.list(plural, token)) store.delete(plural, token, object.metadata.name);
        store.delete('nodes', null, node);
        store.delete('namespaces', null, token);
      },
    };
  },
};

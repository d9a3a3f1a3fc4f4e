/**
 * `kubernetes.network-partition`: a NetworkPolicy that selects the pods and denies their ingress and/or egress,
 * except (optionally) from/to pods that do NOT match another selector, so only traffic with those pods is cut.
 * Revert deletes the policy by its recorded name. Enforcement is the CNI's job: on a cluster whose network plugin
 * does not implement NetworkPolicy the policy exists but nothing is blocked.
 */
import { defineFault, type InjectContext, type ParamsOf } from '../../api.js';
import { isNotFound } from '../api-error.js';
import { listPods } from '../pods.js';
import { checkBlastRadius, requireAllowedNamespace } from '../safety.js';
import type { KubernetesSession } from '../session.js';
import { networkPartitionSpec } from '../specs.js';

type PartitionParams = ParamsOf<typeof networkPartitionSpec>;
type PartitionState = { namespace: string; name: string };

const TYPE = networkPartitionSpec.type;

function policyFor(name: string, runId: string, p: PartitionParams): object {
  const types = p.direction === 'both' ? ['Ingress', 'Egress'] : [p.direction === 'ingress' ? 'Ingress' : 'Egress'];
  // Allowed peers are all pods that do not carry the peer labels: a NetworkPolicy can only allow, never deny.
  const allowOthers = p.peer === undefined ? [] : [{
    podSelector: { matchExpressions: Object.entries(p.peer).map(([key, value]) => ({ key, operator: 'NotIn', values: [value] })) },
  }];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'chaosdrill' }, annotations: { 'chaosdrill.dev/run': runId } },
    spec: {
      podSelector: { matchLabels: p.podSelector },
      policyTypes: types,
      // `_from`: client-node's model name for the JSON field `from` (a reserved word in its generator).
      ...(types.includes('Ingress') ? { ingress: allowOthers.length === 0 ? [] : [{ _from: allowOthers }] } : {}),
      ...(types.includes('Egress') ? { egress: allowOthers.length === 0 ? [] : [{ to: allowOthers }] } : {}),
    },
  };
}

const selectorText = (l: Record<string, string>) => Object.entries(l).map(([k, v]) => `${k}=${v}`).join(',');

export const networkPartitionFault = defineFault({
  ...networkPartitionSpec,
  async plan(session: KubernetesSession, p) {
    requireAllowedNamespace(session, TYPE);
    const pods = await listPods(session, selectorText(p.podSelector));
    checkBlastRadius(session, TYPE, pods.length, pods.length);
    return [{
      action: `create NetworkPolicy chaosdrill-partition-… in ${session.namespace} denying ${p.direction} of ${pods.length} pods (${pods.map((x) => x.metadata?.name).join(', ')})${p.peer ? ` with pods ${selectorText(p.peer)}` : ''}`,
      target: session.targetName,
      details: { pods: pods.map((x) => x.metadata?.name ?? '') },
    }];
  },
  async inject(session: KubernetesSession, p, ctx: InjectContext<PartitionState>) {
    requireAllowedNamespace(session, TYPE);
    const pods = await listPods(session, selectorText(p.podSelector));
    checkBlastRadius(session, TYPE, pods.length, pods.length);
    const name = `chaosdrill-partition-${ctx.runId.toLowerCase().replace(/[^a-z0-9]/g, '').slice(-10)}-${Math.random().toString(36).slice(2, 7)}`;
    const state: PartitionState = { namespace: session.namespace, name };
    await ctx.record(state);
    await session.call(`creating NetworkPolicy ${name}`, () =>
      session.networking.createNamespacedNetworkPolicy({ namespace: session.namespace, body: policyFor(name, ctx.runId, p) }));
    ctx.logger.info(`created NetworkPolicy ${name} denying ${p.direction} of ${pods.length} pods`);
    return state;
  },
  async revert(session: KubernetesSession, state, ctx) {
    try {
      await session.networking.deleteNamespacedNetworkPolicy({ name: state.name, namespace: state.namespace });
      ctx.logger.info(`deleted NetworkPolicy ${state.name}`);
    } catch (error) {
      if (!isNotFound(error)) await session.call(`deleting NetworkPolicy ${state.name}`, () => Promise.reject(error));
    }
  },
});

/** Listing the pods of a selector in the target's namespace, and whether a pod is Ready. */
import type * as k8s from '@kubernetes/client-node';
import type { KubernetesSession } from './session.js';

export async function listPods(session: KubernetesSession, labelSelector: string, fieldSelector?: string): Promise<k8s.V1Pod[]> {
  const list = await session.call(`listing pods (${labelSelector})`, () =>
    session.core.listNamespacedPod({ namespace: session.namespace, labelSelector, ...(fieldSelector ? { fieldSelector } : {}) }));
  // Pods already being deleted are not candidates: killing them again changes nothing.
  return list.items.filter((p) => p.metadata?.deletionTimestamp === undefined);
}

export function isPodReady(pod: k8s.V1Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

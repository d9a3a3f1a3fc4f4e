/**
 * `kubernetes.rollout-restart`: restarts a Deployment's pods as `kubectl rollout restart` does (a
 * `kubectl.kubernetes.io/restartedAt` annotation on the pod template) and waits for the rollout.
 */
import * as k8s from '@kubernetes/client-node';
import { defineAction } from '../../api.js';
import { checkBudget, waitForRollout } from '../rollout.js';
import { patchAs, type KubernetesSession } from '../session.js';
import { rolloutRestartSpec } from '../specs.js';

export const rolloutRestartAction = defineAction({
  ...rolloutRestartSpec,
  async run(session: KubernetesSession | undefined, p, ctx) {
    if (session === undefined) throw new Error('kubernetes.rollout-restart needs a target');
    const restartedAt = new Date().toISOString();
    const startedAt = Date.now();
    await session.call(`restarting ${p.deployment}`, () =>
      session.apps.patchNamespacedDeployment(
        { name: p.deployment, namespace: session.namespace, body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': restartedAt } } } } } },
        patchAs(k8s.PatchStrategy.StrategicMergePatch),
      ));
    const after = await waitForRollout(session, p.deployment, p.timeout, ctx.logger, ctx.signal);
    const rolloutMs = Date.now() - startedAt;
    checkBudget(`the restart of ${p.deployment}`, rolloutMs, p.maxDuration);
    return { deployment: p.deployment, restartedAt, revision: after.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? null, rolloutMs };
  },
});

/**
 * `kubernetes.rollout-restart`: restarts a Deployment's pods as `kubectl rollout restart` does (a
 * `kubectl.kubernetes.io/restartedAt` annotation on the pod template) and waits for the rollout.
 */
import * as k8s from '@kubernetes/client-node';
import { z } from 'zod';
import { durationSchema } from '../../../units/duration.js';
import type { ActionType } from '../../api.js';
import { checkBudget, waitForRollout } from '../rollout.js';
import { patchAs, type KubernetesSession } from '../session.js';

const params = z
  .object({
    deployment: z.string().min(1),
    timeout: durationSchema.prefault('5m').describe('how long the rollout may take before the action fails'),
    maxDuration: durationSchema.optional().describe('the drill objective: fail when the restart took longer'),
  })
  .strict();
type RestartParams = z.output<typeof params>;

export const rolloutRestartAction: ActionType<KubernetesSession, RestartParams> = {
  type: 'kubernetes.rollout-restart',
  description: "Restart a Deployment's pods with a rolling update (as kubectl rollout restart) and wait",
  needsTarget: true,
  params,
  async run(session, p, ctx) {
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
};

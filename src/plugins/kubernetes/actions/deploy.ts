/**
 * `kubernetes.deploy`: sets a container's image on a Deployment and waits for the rollout the way `kubectl rollout
 * status` decides it is done. Its output carries the rollout duration, for deploy drills; `maxDuration` fails the
 * action when the rollout took longer.
 */
import * as k8s from '@kubernetes/client-node';
import { defineAction } from '../../api.js';
import { checkBudget, readDeployment, waitForRollout } from '../rollout.js';
import { patchAs, type KubernetesSession } from '../session.js';
import { deploySpec } from '../specs.js';

export const deployAction = defineAction({
  ...deploySpec,
  async run(session: KubernetesSession | undefined, p, ctx) {
    if (session === undefined) throw new Error('kubernetes.deploy needs a target');
    const before = await readDeployment(session, p.deployment);
    const containers = before.spec?.template.spec?.containers ?? [];
    const container = p.container === undefined ? (containers.length === 1 ? containers[0] : undefined) : containers.find((c) => c.name === p.container);
    if (container === undefined) {
      throw new Error(p.container === undefined
        ? `deployment ${p.deployment} has ${containers.length} containers (${containers.map((c) => c.name).join(', ')}): name one with \`container\``
        : `deployment ${p.deployment} has no container "${p.container}" (it has: ${containers.map((c) => c.name).join(', ')})`);
    }
    const startedAt = Date.now();
    await session.call(`setting the image of ${p.deployment}`, () =>
      session.apps.patchNamespacedDeployment(
        { name: p.deployment, namespace: session.namespace, body: { spec: { template: { spec: { containers: [{ name: container.name, image: p.image }] } } } } },
        patchAs(k8s.PatchStrategy.StrategicMergePatch),
      ));
    ctx.logger.info(`deployment ${p.deployment}: ${container.name} ${container.image} → ${p.image}`);
    const after = await waitForRollout(session, p.deployment, p.timeout, ctx.logger, ctx.signal);
    const rolloutMs = Date.now() - startedAt;
    checkBudget(`the rollout of ${p.deployment} to ${p.image}`, rolloutMs, p.maxDuration);
    return {
      deployment: p.deployment, container: container.name, previousImage: container.image ?? null, image: p.image,
      previousRevision: before.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? null,
      revision: after.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? null,
      rolloutMs,
    };
  },
});

/** `kubernetes.deployment-available`: the rollout is done (as kubectl rollout status) and every replica is available. */
import { defineProbe } from '../../api.js';
import { readDeployment, rolloutStatus } from '../rollout.js';
import type { KubernetesSession } from '../session.js';
import { deploymentAvailableSpec } from '../specs.js';

export const deploymentAvailableProbe = defineProbe({
  ...deploymentAvailableSpec,
  async run(session: KubernetesSession | undefined, p) {
    if (session === undefined) throw new Error('kubernetes.deployment-available needs a target');
    const d = await readDeployment(session, p.deployment);
    const status = rolloutStatus(d);
    const desired = d.spec?.replicas ?? 1;
    const available = d.status?.availableReplicas ?? 0;
    const ok = status.state === 'done' && available >= desired;
    return {
      ok,
      message: ok ? `${available}/${desired} available, ${status.message}` : `${available}/${desired} available: ${status.message}`,
      output: { desired, available, updated: d.status?.updatedReplicas ?? 0, revision: d.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? null, rollout: status.state },
    };
  },
});

/** `kubernetes.deployment-available`: the rollout is done (as kubectl rollout status) and every replica is available. */
import { z } from 'zod';
import type { ProbeType } from '../../api.js';
import { readDeployment, rolloutStatus } from '../rollout.js';
import type { KubernetesSession } from '../session.js';

const params = z.object({ deployment: z.string().min(1) }).strict();
type AvailableParams = z.output<typeof params>;

export const deploymentAvailableProbe: ProbeType<KubernetesSession, AvailableParams> = {
  type: 'kubernetes.deployment-available',
  description: 'Whether a Deployment is fully rolled out with every replica available',
  needsTarget: true,
  params,
  async run(session, p) {
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
};

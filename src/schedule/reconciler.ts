/**
 * `chaos schedule <plan> --emit reconciler`: the Deployment that runs `chaos recover --watch` against the
 * kubernetes state backend, so a game day whose runner pod dies (evicted, OOM-killed, its node drained by its own
 * fault) is reverted without a human: within the lease duration plus one poll of the runner's death.
 *
 * One replica, replaced with `Recreate`: two reconcilers would be safe (a recover claims a run's lease before it
 * reverts anything, and ledger appends are compare-and-swap), but one is all the work needs. It has its own
 * ServiceAccount with the state permissions and the permissions of the plan's experiments, which its reverts use.
 */
import type { ApiPermission } from '../plugins/api.js';
import { rbacManifests, statePermissions } from './rbac.js';

export const RECONCILER_NAME = 'chaos-reconciler';
/** How often the reconciler lists runs: with the 15 s lease, a dead runner's faults are reverted within ~17 s. */
export const RECONCILER_POLL = '2s';

export interface ReconcilerOptions {
  image: string;
  namespace: string;
  /** The Secret whose keys become environment variables (the values of the plans' `{ env: NAME }` secrets). */
  envSecret: string;
  /** The permissions the reverts of the plan's experiments need. */
  permissions: readonly ApiPermission[];
}

export function reconcilerManifests(options: ReconcilerOptions): object[] {
  const { namespace } = options;
  const labels = { 'app.kubernetes.io/name': 'chaosdrill', 'app.kubernetes.io/component': 'reconciler' };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: RECONCILER_NAME, namespace, labels },
    spec: {
      replicas: 1,
      strategy: { type: 'Recreate' },
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: RECONCILER_NAME,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'reconciler',
              image: options.image,
              args: ['recover', '--watch', '--poll', RECONCILER_POLL, '--state', `kubernetes://${namespace}`, '--state-dir', '/tmp/chaosdrill'],
              envFrom: [{ secretRef: { name: options.envSecret, optional: true } }],
              resources: { requests: { cpu: '50m', memory: '96Mi' }, limits: { memory: '256Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
  return [...rbacManifests(RECONCILER_NAME, namespace, 'reconciler', [...statePermissions(namespace), ...options.permissions]), deployment];
}

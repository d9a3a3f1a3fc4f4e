/**
 * Deciding whether a Deployment's rollout is done the way `kubectl rollout status` does: the controller has seen
 * the latest spec (observedGeneration ≥ generation), every replica is updated, no old replica is left, every
 * updated replica is available; a Progressing condition with reason ProgressDeadlineExceeded is a failure.
 * And waiting for that, with progress messages and a timeout.
 */
import type * as k8s from '@kubernetes/client-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChaosError, ExitCode } from '../../errors.js';
import { formatDuration } from '../../units/duration.js';
import type { Logger } from '../api.js';
import type { KubernetesSession } from './session.js';

export type RolloutStatus = { state: 'progressing' | 'done' | 'failed'; message: string };

export function rolloutStatus(d: k8s.V1Deployment): RolloutStatus {
  const name = d.metadata?.name ?? '';
  const status = d.status ?? {};
  if ((d.metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) {
    return { state: 'progressing', message: 'waiting for the deployment spec update to be observed' };
  }
  const progressing = (status.conditions ?? []).find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { state: 'failed', message: `deployment "${name}" exceeded its progress deadline` };
  }
  const desired = d.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  if (updated < desired) return { state: 'progressing', message: `${updated} of ${desired} new replicas updated` };
  const replicas = status.replicas ?? 0;
  if (replicas > updated) return { state: 'progressing', message: `${replicas - updated} old replicas pending termination` };
  const available = status.availableReplicas ?? 0;
  if (available < updated) return { state: 'progressing', message: `${available} of ${updated} updated replicas available` };
  return { state: 'done', message: `deployment "${name}" successfully rolled out` };
}

export async function readDeployment(session: KubernetesSession, name: string): Promise<k8s.V1Deployment> {
  return session.call(`reading deployment ${name}`, () => session.apps.readNamespacedDeployment({ name, namespace: session.namespace }));
}

const POLL_MS = 200;

/**
 * Polls until the rollout is done; throws a ChaosError when it fails or does not finish within `timeoutMs`.
 * Returns the deployment as it was when done. Progress messages go to the logger as they change.
 */
export async function waitForRollout(
  session: KubernetesSession,
  name: string,
  timeoutMs: number,
  logger: Logger,
  signal: AbortSignal,
): Promise<k8s.V1Deployment> {
  const started = Date.now();
  let last = '';
  for (;;) {
    signal.throwIfAborted();
    const d = await readDeployment(session, name);
    const status = rolloutStatus(d);
    if (status.message !== last) {
      logger.info(`rollout of ${name}: ${status.message}`);
      last = status.message;
    }
    if (status.state === 'done') return d;
    if (status.state === 'failed') {
      throw new ChaosError(`rollout of deployment ${name} failed: ${status.message}`, {
        code: 'E_KUBE_ROLLOUT_FAILED', exitCode: ExitCode.Failed, hint: 'look at the new pods (kubectl describe pods); roll back with kubernetes.rollback',
      });
    }
    if (Date.now() - started >= timeoutMs) {
      throw new ChaosError(`rollout of deployment ${name} did not finish within ${formatDuration(timeoutMs)}: ${status.message}`, {
        code: 'E_KUBE_ROLLOUT_TIMEOUT', exitCode: ExitCode.Failed, hint: 'raise `timeout`, or roll back with kubernetes.rollback',
      });
    }
    await sleep(POLL_MS, undefined, { signal });
  }
}

/** Fails an action whose rollout took longer than the drill's budget. */
export function checkBudget(what: string, tookMs: number, maxMs: number | undefined): void {
  if (maxMs === undefined || tookMs <= maxMs) return;
  throw new ChaosError(`${what} took ${formatDuration(tookMs)}, over its budget of ${formatDuration(maxMs)}`, {
    code: 'E_KUBE_ROLLOUT_BUDGET', exitCode: ExitCode.Failed,
  });
}

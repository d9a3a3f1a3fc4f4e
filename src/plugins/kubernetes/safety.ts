/**
 * The safety checks of destructive faults: the namespace must be listed in `safety.allowNamespaces`, and the pods a
 * fault would touch must fit `safety.blastRadius`. Checked by `plan` and again by `inject`, just before the change.
 */
import { ChaosError, ExitCode } from '../../errors.js';
import type { KubernetesSession } from './session.js';

export function requireAllowedNamespace(session: KubernetesSession, faultType: string): void {
  const allowed = session.safety?.allowNamespaces ?? [];
  if (session.purpose === 'recover' || allowed.includes(session.namespace)) return;
  throw new ChaosError(`${faultType} on target ${session.targetName}: namespace "${session.namespace}" is not in safety.allowNamespaces`, {
    code: 'E_KUBE_NAMESPACE_NOT_ALLOWED',
    exitCode: ExitCode.Failed,
    hint: `add it to the experiment: safety: { allowNamespaces: [${session.namespace}] }`,
  });
}

/** Refuses when `affected` of `total` pods exceed safety.blastRadius (maxPods, maxPercent). */
export function checkBlastRadius(session: KubernetesSession, faultType: string, affected: number, total: number): void {
  const limits = session.safety?.blastRadius;
  if (!limits) return;
  const problems: string[] = [];
  if (limits.maxPods !== null && affected > limits.maxPods) problems.push(`${affected} pods exceed maxPods ${limits.maxPods}`);
  if (limits.maxPercent !== null && total > 0 && affected / total > limits.maxPercent + 1e-9) {
    problems.push(`${affected} of ${total} pods (${Math.round((affected / total) * 100)}%) exceed maxPercent ${Math.round(limits.maxPercent * 100)}%`);
  }
  if (problems.length === 0) return;
  throw new ChaosError(`${faultType} on target ${session.targetName}: blast radius too large: ${problems.join('; ')}`, {
    code: 'E_BLAST_RADIUS',
    exitCode: ExitCode.Failed,
    hint: 'narrow the selector or `select` (one, a count, a percentage), or raise safety.blastRadius',
  });
}

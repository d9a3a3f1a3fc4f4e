/**
 * The names, labels and annotations of the objects the kubernetes state backend keeps, so `kubectl get lease,cm
 * -l app.kubernetes.io/managed-by=chaosdrill` shows them all:
 *   - `chaos-ledger-<run>`: the first ConfigMap of a run's ledger (`…-p2`, `…-p3` continue it past the size limit);
 *   - `chaos-run-<run>`: the Lease the runner renews while it lives;
 *   - `chaos-lock-<sha256(key), 32 hex>`: the Lease that locks a target (the key itself is never shown).
 * `<run>` is the run id made a DNS label (lowercase, at most 40 characters) plus 8 hex of its SHA-256, so two run
 * ids never share a name; the exact run id is in the `chaosdrill.dev/run-id` annotation.
 */
import { createHash } from 'node:crypto';

export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'chaosdrill' } as const;
export const KIND_LABEL = 'chaosdrill.dev/object';
/** On the ledger's first ConfigMap: `true` once the run is over and nothing of it needs recovery. */
export const CLOSED_LABEL = 'chaosdrill.dev/closed';
export const ANNOTATION = {
  runId: 'chaosdrill.dev/run-id',
  host: 'chaosdrill.dev/host',
  pid: 'chaosdrill.dev/pid',
  pidStartTime: 'chaosdrill.dev/pid-start-time',
  renewEveryMs: 'chaosdrill.dev/renew-every-ms',
  target: 'chaosdrill.dev/target',
  part: 'chaosdrill.dev/part',
  /** On a full ledger part: the name of the part that continues it. */
  next: 'chaosdrill.dev/next',
} as const;

export function runSlug(runId: string): string {
  const label = runId.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').slice(0, 40).replace(/^-+|-+$/g, '');
  return `${label}-${sha256(runId).slice(0, 8)}`;
}

export function ledgerName(runId: string, part = 1): string {
  return part === 1 ? `chaos-ledger-${runSlug(runId)}` : `chaos-ledger-${runSlug(runId)}-p${part}`;
}

export function runLeaseName(runId: string): string {
  return `chaos-run-${runSlug(runId)}`;
}

export function lockLeaseName(key: string): string {
  return `chaos-lock-${sha256(key).slice(0, 32)}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Reading `--state` (or CHAOS_STATE): where a run's ledger, locks and liveness live.
 *   file:PATH                     a directory (default `file:.chaos`); PATH relative to the working directory
 *   kubernetes://NAMESPACE        ConfigMaps and Leases in that namespace of the kubeconfig's current context
 *   kubernetes://                 the same in the current namespace (the pod's own, else the context's)
 * Both take `?lease=15s&renew=5s` (how long a renewal holds, how often the runner renews), and kubernetes also
 * `?context=NAME`. A bad spec is invalid input: exit 2, nothing contacted.
 */
import { resolve } from 'node:path';
import { ChaosError, ExitCode } from '../errors.js';
import { parseDuration } from '../units/duration.js';
import { DEFAULT_TIMING, type LivenessTiming, type StateBackend } from './backend.js';
import { FileStateBackend } from './file-backend.js';

export type StateSpec =
  | { kind: 'file'; dir: string; timing: LivenessTiming }
  | { kind: 'kubernetes'; namespace: string | null; context?: string; timing: LivenessTiming };

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function parseStateSpec(text: string, cwd: string): StateSpec {
  const [location = '', query = ''] = splitOnce(text.trim(), '?');
  const params = new URLSearchParams(query);
  if (location.startsWith('kubernetes://')) {
    const namespace = location.slice('kubernetes://'.length).replace(/\/+$/, '');
    if (namespace !== '' && !NAMESPACE.test(namespace)) throw bad(text, `"${namespace}" is not a namespace name (a DNS label)`);
    const context = params.get('context') ?? undefined;
    const timing = timingOf(text, params, ['context']);
    if (timing.durationMs % 1000 !== 0) throw bad(text, 'a Lease holds whole seconds: write lease=15s, not a fraction of a second');
    return { kind: 'kubernetes', namespace: namespace === '' ? null : namespace, ...(context === undefined ? {} : { context }), timing };
  }
  if (location.startsWith('file:')) {
    const dir = location.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
    if (dir === '') throw bad(text, 'no directory after file:');
    return { kind: 'file', dir: resolve(cwd, dir), timing: timingOf(text, params, []) };
  }
  throw bad(text, 'unknown state backend');
}

/** The backend a spec names. The kubernetes one is contacted only when first used. */
export async function openStateBackend(spec: StateSpec): Promise<StateBackend> {
  if (spec.kind === 'file') return new FileStateBackend(spec.dir, spec.timing);
  // The Kubernetes client loads only for a run that keeps its state in the API server (a start costs ~0.5 s with it).
  const { KubernetesStateBackend } = await import('./kubernetes-backend.js');
  return KubernetesStateBackend.connect({ namespace: spec.namespace, ...(spec.context === undefined ? {} : { context: spec.context }), timing: spec.timing });
}

/** How the journal and messages name it. */
export function describeStateSpec(spec: StateSpec): string {
  return spec.kind === 'file' ? `file:${spec.dir}` : `kubernetes://${spec.namespace ?? ''}`;
}

function timingOf(text: string, params: URLSearchParams, others: string[]): LivenessTiming {
  for (const key of params.keys()) {
    if (key !== 'lease' && key !== 'renew' && !others.includes(key)) throw bad(text, `unknown option "${key}" (known: ${['lease', 'renew', ...others].join(', ')})`);
  }
  const read = (key: string, fallback: number) => {
    const value = params.get(key);
    if (value === null) return fallback;
    const parsed = parseDuration(value);
    if (!parsed.ok) throw bad(text, `${key}: ${parsed.message}`);
    if (parsed.ms <= 0) throw bad(text, `${key} must be longer than 0`);
    return parsed.ms;
  };
  const durationMs = read('lease', DEFAULT_TIMING.durationMs);
  const renewEveryMs = read('renew', params.has('lease') && !params.has('renew') ? Math.max(1, Math.floor(durationMs / 3)) : DEFAULT_TIMING.renewEveryMs);
  // A holder must renew at least twice per duration: one late renewal must not make it look dead.
  if (renewEveryMs * 2 > durationMs) throw bad(text, `renew (${renewEveryMs} ms) must be at most half of lease (${durationMs} ms)`);
  return { durationMs, renewEveryMs };
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

function bad(text: string, why: string): ChaosError {
  return new ChaosError(`--state "${text}": ${why}`, {
    code: 'E_BAD_STATE', exitCode: ExitCode.InvalidInput, hint: 'write file:.chaos, kubernetes://NAMESPACE or kubernetes:// (optionally ?lease=15s&renew=5s)',
  });
}

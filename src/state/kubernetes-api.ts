/**
 * The API clients of the kubernetes state backend (`--state kubernetes://NAMESPACE`): the kubeconfig by the default
 * loading rules ($KUBECONFIG, ~/.kube/config, or the pod's service account), an optional context, and the
 * namespace the ledger ConfigMaps and the Leases live in (`kubernetes://` alone: the pod's own namespace, else the
 * context's, else `default`). Errors become ChaosErrors for people, exit 5, naming what was being done where.
 */
import * as k8s from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { ChaosError, ExitCode, messageOf } from '../errors.js';

/** Where a pod finds its own namespace (mounted with its service account token). */
const POD_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

export interface KubernetesStateLocation {
  /** Null: the current namespace. */
  namespace: string | null;
  context?: string;
  /** A kubeconfig file; default: the default loading rules. */
  kubeconfig?: string;
}

export interface StateApi {
  namespace: string;
  server: string;
  core: k8s.CoreV1Api;
  coordination: k8s.CoordinationV1Api;
}

export function connectStateApi(location: KubernetesStateLocation): StateApi {
  const kc = new k8s.KubeConfig();
  try {
    if (location.kubeconfig !== undefined) kc.loadFromFile(location.kubeconfig);
    else kc.loadFromDefault();
  } catch (error) {
    throw new ChaosError(`--state kubernetes: cannot load the kubeconfig: ${messageOf(error)}`, {
      code: 'E_STATE_KUBE_CONFIG', exitCode: ExitCode.Infrastructure, hint: 'set KUBECONFIG, or run inside a pod with a service account', cause: error,
    });
  }
  if (location.context !== undefined) {
    if (kc.getContextObject(location.context) === null) {
      throw new ChaosError(`--state kubernetes: the kubeconfig has no context "${location.context}"`, {
        code: 'E_STATE_KUBE_CONFIG', exitCode: ExitCode.Infrastructure, hint: 'list contexts with `kubectl config get-contexts`',
      });
    }
    kc.setCurrentContext(location.context);
  }
  const cluster = kc.getCurrentCluster();
  if (cluster === null) {
    throw new ChaosError('--state kubernetes: the kubeconfig names no cluster', {
      code: 'E_STATE_KUBE_CONFIG', exitCode: ExitCode.Infrastructure, hint: 'check KUBECONFIG and its current context',
    });
  }
  return {
    namespace: location.namespace ?? currentNamespace(kc),
    server: cluster.server,
    core: kc.makeApiClient(k8s.CoreV1Api),
    coordination: kc.makeApiClient(k8s.CoordinationV1Api),
  };
}

function currentNamespace(kc: k8s.KubeConfig): string {
  try {
    const own = readFileSync(POD_NAMESPACE_FILE, 'utf8').trim();
    if (own !== '') return own;
  } catch {
    // Not in a pod.
  }
  return kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
}

/** The HTTP status of an API error (client-node's ApiException), or null for anything else (no answer at all). */
export function statusOf(error: unknown): number | null {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return typeof code === 'number' && code >= 100 ? code : null;
}

/** Runs a call against the state namespace; an error becomes a ChaosError (exit 5) saying what failed where. */
export async function stateCall<T>(api: StateApi, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw stateApiError(api, what, error);
  }
}

export function stateApiError(api: StateApi, what: string, error: unknown): ChaosError {
  if (error instanceof ChaosError) return error;
  const status = statusOf(error);
  const where = `namespace ${api.namespace} at ${api.server}`;
  if (status === null) {
    return new ChaosError(`the kubernetes state backend could not reach the API server (${what}, ${where}): ${messageOf(error)}`, {
      code: 'E_STATE_UNREACHABLE', exitCode: ExitCode.Infrastructure, hint: 'check the kubeconfig and that the API server answers; nothing was injected', cause: error,
    });
  }
  const body = (error as { body?: unknown }).body;
  const message = typeof body === 'string' ? (safeJson(body)?.message ?? body) : ((body as { message?: string } | undefined)?.message ?? `HTTP ${status}`);
  if (status === 403) {
    return new ChaosError(`the kubernetes state backend failed ${what} in ${where}: ${message} (HTTP ${status})`, {
      code: 'E_STATE_FORBIDDEN',
      exitCode: ExitCode.Infrastructure,
      hint: 'grant this user or service account leases (get, list, create, update, delete) and configmaps (get, list, create, patch) in that namespace: `chaos schedule --emit cronjob` writes such a Role',
      cause: error,
    });
  }
  return new ChaosError(`the kubernetes state backend failed ${what} in ${where}: ${message} (HTTP ${status})`, { code: 'E_STATE_KUBE_API', exitCode: ExitCode.Infrastructure, hint: 'check the namespace exists and the API server is healthy', cause: error });
}

function safeJson(text: string): { message?: string } | null {
  try {
    return JSON.parse(text) as { message?: string };
  } catch {
    return null;
  }
}

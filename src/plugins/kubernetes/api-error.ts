/**
 * Errors from the API server (client-node's ApiException carries the HTTP code and the Status body) turned into
 * messages a person can act on.
 */
import { ChaosError, ExitCode, messageOf } from '../../errors.js';

export interface ApiFailure {
  code: number;
  reason: string;
  message: string;
}

/** The HTTP code and the Status message of an API error, or null for anything else (a network error). */
export function apiFailure(error: unknown): ApiFailure | null {
  const e = error as { code?: unknown; body?: unknown };
  if (typeof e?.code !== 'number' || e.code < 100) return null;
  let status: { message?: string; reason?: string } = {};
  if (typeof e.body === 'string') {
    try {
      status = JSON.parse(e.body);
    } catch {
      status = { message: e.body };
    }
  } else if (typeof e.body === 'object' && e.body !== null) status = e.body;
  return { code: e.code, reason: status.reason ?? '', message: status.message ?? `HTTP ${e.code}` };
}

export function isNotFound(error: unknown): boolean {
  return apiFailure(error)?.code === 404;
}

/** Runs an API call; an API error becomes a ChaosError naming the target and what was being done. */
export async function kubeCall<T>(targetName: string, what: string, call: () => Promise<T>, exitCode: ExitCode = ExitCode.Failed): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toChaosError(targetName, what, error, exitCode);
  }
}

export function toChaosError(targetName: string, what: string, error: unknown, exitCode: ExitCode = ExitCode.Failed): ChaosError {
  if (error instanceof ChaosError) return error;
  const failure = apiFailure(error);
  if (failure === null) {
    return new ChaosError(`target ${targetName}: ${what}: ${messageOf(error)}`, {
      code: 'E_KUBE_UNREACHABLE', exitCode, hint: 'check the kubeconfig, the context and that the API server answers', cause: error,
    });
  }
  const hint = failure.code === 403 ? 'grant the missing permission to the user or service account of this context (RBAC)'
    : failure.code === 404 ? 'check the name and the namespace of the target'
      : undefined;
  return new ChaosError(`target ${targetName}: ${what}: ${failure.message} (HTTP ${failure.code})`, {
    code: failure.code === 403 ? 'E_KUBE_FORBIDDEN' : failure.code === 404 ? 'E_KUBE_NOT_FOUND' : 'E_KUBE_API', exitCode, ...(hint ? { hint } : {}), cause: error,
  });
}

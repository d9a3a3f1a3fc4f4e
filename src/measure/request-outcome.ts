/**
 * How one request ended, as the timeline counts it: a status class, or the kind of transport error. Load drivers
 * classify; the timeline and the objectives only count.
 */
export const OUTCOME_KINDS = ['1xx', '2xx', '3xx', '4xx', '5xx', 'timeout', 'refused', 'reset', 'error'] as const;
import { messageOf } from '../errors.js';
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

/** One value per outcome kind, in OUTCOME_KINDS' order, each made by `make` (so arrays are not shared). */
export function perOutcomeKind<V>(make: () => V): Record<OutcomeKind, V> {
  return { '1xx': make(), '2xx': make(), '3xx': make(), '4xx': make(), '5xx': make(), timeout: make(), refused: make(), reset: make(), error: make() };
}

/** Transport errors: no HTTP status was received. */
export const ERROR_KINDS: readonly OutcomeKind[] = ['timeout', 'refused', 'reset', 'error'];

export function statusKind(status: number): OutcomeKind {
  if (status >= 100 && status < 200) return '1xx';
  if (status < 300) return '2xx';
  if (status < 400) return '3xx';
  if (status < 500) return '4xx';
  if (status < 600) return '5xx';
  return 'error';
}

/** A Node error (`code` ECONNREFUSED, ECONNRESET, ETIMEDOUT…) or a message, as a transport error kind. */
export function errorKind(error: unknown): OutcomeKind {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const message = messageOf(error);
  if (code === 'ECONNREFUSED' || /refused/i.test(message)) return 'refused';
  // undici's UND_ERR_SOCKET: the server closed the connection before answering ("other side closed").
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || /reset|socket hang up|broken pipe/i.test(message)) return 'reset';
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || /time(d)? ?out/i.test(message)) return 'timeout';
  return 'error';
}

/**
 * Whether an outcome counts as a success for availability (DESIGN.md §3): no transport error, no timeout, a status
 * below `failStatus` (500 unless an objective says otherwise: 400 makes 4xx failures too).
 */
export function isSuccess(kind: OutcomeKind, failStatus = 500): boolean {
  switch (kind) {
    case '1xx':
    case '2xx':
    case '3xx':
      return true;
    case '4xx':
      return failStatus > 400;
    case '5xx':
      return failStatus > 500;
    default:
      return false;
  }
}

/**
 * One TCP connection attempt, reported rather than thrown: used by the `tcp` probe and to wait until a started
 * process listens.
 */
import { connect } from 'node:net';
import { formatDuration } from '../../units/duration.js';

export interface ConnectAttempt {
  open: boolean;
  latencyMs: number;
  /** Why it is not open, for people: "connection refused", "timed out after 2s". Null when open. */
  error: string | null;
}

export function tryConnect(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<ConnectAttempt> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let settled = false;
    const finish = (open: boolean, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve({ open, latencyMs: Math.round(performance.now() - started), error });
    };
    const onAbort = () => finish(false, 'aborted');
    const timer = setTimeout(() => finish(false, `timed out after ${formatDuration(timeoutMs)}`), timeoutMs);
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish(true, null));
    socket.once('error', (err: NodeJS.ErrnoException) => finish(false, describeSocketError(err)));
  });
}

/** Socket error codes in words. */
export function describeSocketError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    default:
      return err.code ? `${err.code}: ${err.message}` : err.message;
  }
}

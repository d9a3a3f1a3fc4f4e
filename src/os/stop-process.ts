/**
 * Signalling and stopping processes by identity, so a reused PID is never signalled by mistake.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.js';
import { isProcessAlive, type ProcessIdentity } from './process-identity.js';
import { errnoCode } from '../errors.js';

const POLL_MS = 25;

/**
 * Sends a signal to a process, or to its whole process group when `group` is set (a managed command runs in its
 * own group, so a `sh -c` wrapper does not leave its children behind). Returns false when the process is gone.
 */
export function sendSignal(pid: number, signal: NodeJS.Signals, group = false): boolean {
  if (group) {
    try {
      process.kill(-pid, signal);
      return true;
    } catch {
      // Not a group leader (or already gone): fall back to the process itself.
    }
  }
  try {
    process.kill(pid, signal);
    return true;
  } catch (err) {
    if (errnoCode(err) === 'ESRCH') return false;
    throw err;
  }
}

/** Waits until the process is gone; true if it went within the timeout. Rejects when `signal` aborts. */
export async function waitForExit(identity: ProcessIdentity, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(identity)) {
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS, undefined, signal ? { signal } : undefined);
  }
  return true;
}

export interface StopOptions {
  /** The first signal (default SIGTERM). */
  signal?: NodeJS.Signals;
  /** How long the process may take to exit before SIGKILL. */
  graceMs: number;
  group: boolean;
}

/**
 * Stops a process: SIGCONT first (a stopped process cannot act on SIGTERM), then the signal, then SIGKILL after the
 * grace period. Idempotent: a process that is already gone (or whose PID now belongs to another process) is left alone.
 * Deliberately ignores abort signals: it runs during cleanup, after the run was aborted.
 */
export async function stopProcess(identity: ProcessIdentity, options: StopOptions, logger: Logger): Promise<void> {
  if (!isProcessAlive(identity)) return;
  sendSignal(identity.pid, 'SIGCONT', options.group);
  sendSignal(identity.pid, options.signal ?? 'SIGTERM', options.group);
  if (await waitForExit(identity, options.graceMs)) return;
  logger.warn(`process ${identity.pid} did not exit within ${options.graceMs} ms; sending SIGKILL`);
  if (!isProcessAlive(identity)) return;
  sendSignal(identity.pid, 'SIGKILL', options.group);
  if (!(await waitForExit(identity, 5_000))) {
    throw new Error(`process ${identity.pid} is still alive after SIGKILL`);
  }
}

/** The command line of a process from /proc, for messages ("node server.js"), or null. */
export function commandLineOf(pid: number): string | null {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const text = raw.split('\0').filter((s) => s !== '').join(' ');
    return text === '' ? null : truncate(text);
  } catch {
    return null;
  }
}

export function truncate(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Runs one activity (probe, action, inject, revert, pause) with a timeout and the run's abort signal, and turns
 * whatever happens into an ActivityRecord. A failed activity is recorded, never thrown past the run.
 */
import { randomUUID } from 'node:crypto';
import type { Json } from '../json.js';
import type { ActivityKind, ActivityRecord, ActivityStatus } from './events.js';
import { messageOf } from '../errors.js';

export interface ActivitySpec {
  kind: ActivityKind;
  name: string;
  section: string;
  type: string | null;
  target: string | null;
  timeoutMs: number;
  /** Aborting it ends the activity as `aborted`. */
  signal: AbortSignal;
  /**
   * After a timeout or an abort, how long to keep waiting for a body that ignores its signal to settle, so the
   * caller decides knowing what the body did (an inject that lands late is still an inject). Default 0.
   */
  settleMs?: number;
}

export interface ActivityResult {
  ok: boolean;
  message: string;
  output: Json;
}

export type ActivityBody = (signal: AbortSignal) => Promise<ActivityResult>;

export class ActivityTimeoutError extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
    this.name = 'ActivityTimeoutError';
  }
}

/** Thrown by waits when the run was aborted; the message is the abort reason. */
export class AbortedError extends Error {
  constructor(reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason ?? 'aborted'));
    this.name = 'AbortedError';
  }
}

export function newActivityId(): string {
  return randomUUID();
}

/**
 * Runs `body` and records it. The body gets a signal that fires on timeout or abort; if the body ignores it, the
 * activity still ends at the deadline, after waiting up to `settleMs` for the body (after that, its promise is left
 * to settle on its own: a caller that must know tracks it itself).
 */
export async function runActivity(
  spec: ActivitySpec,
  body: ActivityBody,
  hooks: { onStart?(id: string, at: string): Promise<void> | void } = {},
): Promise<ActivityRecord> {
  const id = newActivityId();
  const started = new Date();
  await hooks.onStart?.(id, started.toISOString());

  const controller = new AbortController();
  const onParentAbort = () => controller.abort(new AbortedError(spec.signal.reason));
  if (spec.signal.aborted) onParentAbort();
  else spec.signal.addEventListener('abort', onParentAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new ActivityTimeoutError(spec.timeoutMs)), spec.timeoutMs);

  let status: ActivityStatus;
  let message: string;
  let output: Json = null;
  let error: string | null = null;
  let running: Promise<ActivityResult> | null = null;
  try {
    const stopped = new Promise<never>((_, reject) => {
      const fail = () => reject(controller.signal.reason);
      if (controller.signal.aborted) fail();
      else controller.signal.addEventListener('abort', fail, { once: true });
    });
    stopped.catch(() => undefined);
    running = body(controller.signal);
    running.catch(() => undefined);
    const result = await Promise.race([running, stopped]);
    status = result.ok ? 'succeeded' : 'failed';
    message = result.message;
    output = result.output;
  } catch (err) {
    const reason = controller.signal.aborted ? controller.signal.reason : err;
    if (reason instanceof ActivityTimeoutError) status = 'timed-out';
    else if (reason instanceof AbortedError) status = 'aborted';
    else status = 'failed';
    message = messageOf(reason);
    error = message;
    if (running !== null && controller.signal.aborted && (spec.settleMs ?? 0) > 0) await settleWithin(running, spec.settleMs!);
  } finally {
    clearTimeout(timer);
    spec.signal.removeEventListener('abort', onParentAbort);
  }
  const ended = new Date();
  return {
    id,
    kind: spec.kind,
    name: spec.name,
    section: spec.section,
    type: spec.type,
    target: spec.target,
    status,
    startedAt: started.toISOString(),
    endedAt: ended.toISOString(),
    durationMs: ended.getTime() - started.getTime(),
    message,
    output,
    error,
  };
}

/** Waits until `promise` settles (either way) or `ms` pass, whichever comes first. */
async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([promise.then(() => undefined, () => undefined), elapsed]);
  clearTimeout(timer);
}

/** Waits `ms`, or rejects with AbortedError when `signal` fires first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new AbortedError(signal.reason));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError(signal.reason));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Whether the runner that holds a liveness record (a heartbeat file, a Lease) is still there.
 *
 * A record says who holds it (host, PID and the PID's start time), when the holder last renewed it by its own
 * clock, how long a renewal holds (`durationMs`) and how often the holder renews (`renewEveryMs`). The verdict:
 *   - on the holder's own host, the PID decides at once (the fast path): gone means dead, running means alive;
 *   - elsewhere, the holder is dead when the record expired by our clock (`renewedAt + durationMs` is past) AND we
 *     have watched the very same version of it, unrenewed, for a confirmation window of two renewals. The window
 *     is what makes clock skew safe: a live holder whose clock runs behind ours looks expired by its timestamps,
 *     but renews while we watch. A holder whose clock runs ahead only looks alive for longer (the safe direction).
 *   - a record that is gone although its holder kept one (the ledger says so) was removed when the holder ended,
 *     or by the recover that took the run over: the runner is not there any more;
 *   - a run with no record that never kept one (a ledger of an earlier version, on another host) cannot be judged:
 *     unknown, which callers treat as alive, so nothing is reverted behind a runner's back.
 * One judge is kept across polls (`chaos recover --watch`), so its observations accumulate; a one-shot caller
 * that gets `suspect` waits `recheckAfterMs` and asks again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive } from '../os/process-identity.js';

export interface LivenessRecord {
  /** Changes with every renewal (a resourceVersion, a renewal counter): equal versions mean no renewal. */
  version: string;
  host: string;
  pid: number;
  pidStartTime: string | null;
  /** Epoch ms, by the holder's clock. */
  renewedAt: number;
  durationMs: number;
  renewEveryMs: number;
}

export type LivenessVerdict =
  | { state: 'alive'; reason: string }
  | { state: 'dead'; reason: string }
  /** Expired by its timestamps; still inside the confirmation window. */
  | { state: 'suspect'; reason: string; recheckAfterMs: number }
  | { state: 'unknown'; reason: string };

/** Who the ledger (or a lock file) says holds a run, for when its liveness record is missing. */
export interface RecordedHolder {
  host: string;
  pid: number;
  pidStartTime: string | null;
  /** The holder kept a liveness record (a heartbeat, a Lease): its absence means it ended. */
  keptLiveness?: boolean;
}

export interface LivenessJudgeOptions {
  /** This process's identity host (CHAOS_HOSTNAME or the hostname): the PID fast path applies to records of it. */
  host: string;
  now?: () => number;
  isPidAlive?: (pid: number, startTime: string | null) => boolean;
}

export class LivenessJudge {
  readonly #seen = new Map<string, { version: string; since: number }>();
  readonly #now: () => number;
  readonly #isPidAlive: (pid: number, startTime: string | null) => boolean;

  readonly #options: LivenessJudgeOptions;

  constructor(options: LivenessJudgeOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#isPidAlive = options.isPidAlive ?? ((pid, startTime) => isProcessAlive({ pid, startTime }));
  }

  get host(): string {
    return this.#options.host;
  }

  /**
   * `key` names the record across polls (a run id, a lock's name). `fallback` is who the ledger says runs it, for
   * the PID fast path when there is no record.
   */
  judge(key: string, record: LivenessRecord | null, fallback: RecordedHolder | null = null): LivenessVerdict {
    const holder = record ?? fallback;
    if (holder !== null && holder.host === this.#options.host) {
      return this.#isPidAlive(holder.pid, holder.pidStartTime)
        ? { state: 'alive', reason: `its process ${holder.pid} still runs on this host` }
        : { state: 'dead', reason: `its process ${holder.pid} is gone from this host` };
    }
    if (record === null) {
      this.#seen.delete(key);
      if (fallback?.keptLiveness === true) return { state: 'dead', reason: 'its liveness record is gone: its runner ended, or a recover released it' };
      return { state: 'unknown', reason: holder === null ? 'it has no liveness record' : `it runs on ${holder.host}, which keeps no heartbeat or lease for it` };
    }
    const now = this.#now();
    const last = this.#seen.get(key);
    const since = last !== undefined && last.version === record.version ? last.since : now;
    this.#seen.set(key, { version: record.version, since });
    const expiresAt = record.renewedAt + record.durationMs;
    const where = `${record.host}, pid ${record.pid}`;
    if (now <= expiresAt) return { state: 'alive', reason: `its ${describe(record)} was renewed ${ago(now - record.renewedAt)} ago (${where})` };
    const window = confirmationWindowMs(record);
    const watched = now - since;
    if (watched >= window) {
      return { state: 'dead', reason: `its ${describe(record)} expired ${ago(now - expiresAt)} ago and was not renewed while watched for ${ago(watched)} (${where})` };
    }
    return { state: 'suspect', reason: `its ${describe(record)} expired ${ago(now - expiresAt)} ago; confirming that nobody renews it (${where})`, recheckAfterMs: window - watched };
  }

  /** Forgets records no longer listed, so the judge's memory does not grow with every run ever seen. */
  retain(keys: ReadonlySet<string>): void {
    for (const key of this.#seen.keys()) if (!keys.has(key)) this.#seen.delete(key);
  }
}

/**
 * Judges until the verdict is more than `suspect`, reading the record again after each confirmation window (a
 * one-shot caller: `chaos recover`, a preflight, a lock). Bounded: a window is at most one duration.
 */
export async function waitForVerdict(
  judge: LivenessJudge,
  key: string,
  read: () => Promise<LivenessRecord | null>,
  fallback: RecordedHolder | null,
): Promise<Exclude<LivenessVerdict, { state: 'suspect' }>> {
  for (let round = 0; ; round++) {
    const verdict = judge.judge(key, await read(), fallback);
    if (verdict.state !== 'suspect') return verdict;
    // A record that keeps changing without ever being fresh is renewed by a holder whose clock is far behind: alive.
    if (round >= 3) return { state: 'alive', reason: `${verdict.reason}; but it keeps being renewed` };
    await sleep(verdict.recheckAfterMs + 20);
  }
}

/** Two renewals, never more than the duration: a live holder renews at least once within it. */
export function confirmationWindowMs(record: Pick<LivenessRecord, 'durationMs' | 'renewEveryMs'>): number {
  return Math.min(2 * record.renewEveryMs, record.durationMs);
}

function describe(record: LivenessRecord): string {
  return `liveness record (${ago(record.durationMs)} duration)`;
}

function ago(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`;
}

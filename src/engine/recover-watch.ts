/**
 * `chaos recover --watch`: the reconciler. Every `pollMs` it lists the runs in the state backend and recovers those
 * whose runner is gone, with one liveness judge kept across polls, so a run is recovered at the first poll after
 * its lease (or heartbeat) expired: within the lease duration plus one poll of the runner's death. It keeps going
 * through failures (an API server that does not answer, a revert that fails: that one is recorded in the ledger
 * and retried at the next poll) until its signal aborts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { messageOf } from '../errors.js';
import { LivenessJudge } from '../state/liveness.js';
import { recover, type RecoverOptions, type RecoverReport } from './recover.js';

export interface WatchOptions extends Omit<RecoverOptions, 'judge' | 'waitForSuspects' | 'holder'> {
  holder: NonNullable<RecoverOptions['holder']>;
  pollMs: number;
  /** Called after every poll that did something (or failed), for the operator. */
  onPoll: (report: RecoverReport | null, error: unknown) => void;
}

export async function watchAndRecover(options: WatchOptions): Promise<void> {
  const signal = options.signal ?? new AbortController().signal;
  const judge = new LivenessJudge({ host: options.holder.host });
  while (!signal.aborted) {
    try {
      const report = await recover({ ...options, judge, waitForSuspects: false });
      options.onPoll(report, null);
    } catch (error) {
      if (signal.aborted) break;
      options.logger.warn(`recover --watch: this poll failed, trying again in ${options.pollMs} ms: ${messageOf(error)}`);
      options.onPoll(null, error);
    }
    await sleep(options.pollMs, undefined, { signal }).catch(() => undefined);
  }
}

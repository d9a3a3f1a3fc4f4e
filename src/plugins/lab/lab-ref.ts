/**
 * What every lab fault records first: where the lab's admin API was and which process served it, so a revert
 * (also `chaos recover` after the runner died) reaches that very lab, or knows it is gone and its faults with it.
 */
import { isProcessAlive } from '../../os/process-identity.js';
import type { ActivityContext } from '../api.js';
import type { LabSession } from './session.js';

/** `remote`: a distributed lab (a `url` target), whose process is elsewhere and whose faults outlive it. */
export type LabRef = { url: string; pid: number; startTime: string | null; remote?: boolean };

export function labRef(session: LabSession): LabRef {
  const info = session.requireInfo();
  return { url: info.url, pid: info.pid, startTime: info.startTime, ...(session.remote ? { remote: true } : {}) };
}

/**
 * True when the lab a fault was injected into still runs; otherwise its faults died with it. A distributed lab's
 * faults live in its Toxiproxy and agents, not in the control process (a restarted control service sees the same
 * disabled proxy): they are always reverted through its admin API, which fails loudly when it does not answer.
 */
export function labStillRuns(ref: LabRef, ctx: ActivityContext, what: string): boolean {
  if (ref.remote === true) return true;
  if (isProcessAlive({ pid: ref.pid, startTime: ref.startTime })) return true;
  ctx.logger.info(`the lab (pid ${ref.pid}) is gone, and ${what} with it; nothing to revert`);
  return false;
}

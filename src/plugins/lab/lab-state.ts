/**
 * What every lab fault records first: where the lab's admin API was and which process served it, so a revert
 * (also `chaos recover` after the runner died) reaches that very lab, or knows it is gone and its faults with it.
 */
import { isProcessAlive } from '../../engine/process-identity.js';
import type { ActivityContext } from '../api.js';
import type { LabSession } from './session.js';

export type LabRef = { url: string; pid: number; startTime: string | null };

export function labRef(session: LabSession): LabRef {
  const info = session.requireInfo();
  return { url: info.url, pid: info.pid, startTime: info.startTime };
}

/** True when the lab a fault was injected into still runs; otherwise its faults died with it. */
export function labStillRuns(ref: LabRef, ctx: ActivityContext, what: string): boolean {
  if (isProcessAlive({ pid: ref.pid, startTime: ref.startTime })) return true;
  ctx.logger.info(`the lab (pid ${ref.pid}) is gone, and ${what} with it; nothing to revert`);
  return false;
}

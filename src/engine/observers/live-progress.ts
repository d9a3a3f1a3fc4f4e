/**
 * What the console shows while load runs: the last second's req/s, errors and p95, the active faults, elapsed
 * time and the method's planned remaining time (foreground pauses and fault durations; steps without a known
 * length count as 0).
 */
import type { ResolvedExperiment } from '../../experiment/types.js';
import { percentileMs } from '../../measure/latency-histogram.js';
import type { Timeline } from '../../measure/timeline.js';
import type { FaultInterval } from '../../measure/windows.js';

export interface LiveProgress {
  requestsPerSecond: number;
  errorsPerSecond: number;
  totalErrors: number;
  p95Ms: number | null;
  activeFaults: string[];
  elapsedMs: number;
  /** Planned method time left; null when the plan has no known length. */
  remainingMs: number | null;
}

export function plannedMethodMs(experiment: ResolvedExperiment): number {
  let total = 0;
  for (const step of experiment.method) {
    if (step.background) continue;
    if (step.kind === 'pause') total += step.durationMs;
    if (step.kind === 'fault' && step.durationMs !== null) total += step.durationMs;
  }
  return total;
}

/** `errorsBefore`: the total of the previous call (the total is kept incrementally: no pass over the whole run). */
export function liveProgress(timeline: Timeline, faults: readonly FaultInterval[], startMs: number, experiment: ResolvedExperiment, errorsBefore: number): LiveProgress {
  const now = Date.now();
  const last = timeline.summarize(now - 1000, now);
  const planned = plannedMethodMs(experiment);
  return {
    requestsPerSecond: last.total,
    errorsPerSecond: last.total - last.succeeded,
    totalErrors: errorsBefore + last.total - last.succeeded,
    p95Ms: percentileMs(last.histogram, 95),
    activeFaults: faults.filter((f) => f.revertedAt === null).map((f) => f.name),
    elapsedMs: now - startMs,
    remainingMs: planned > 0 ? Math.max(0, planned - (now - startMs)) : null,
  };
}

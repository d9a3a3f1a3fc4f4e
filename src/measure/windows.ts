/**
 * The windows of DESIGN.md §3, from the fault timing: `run` (whole load), `before` (start of load to the first
 * fault), `during` (while any fault is active; may be several stretches), `after` (last revert to the end).
 */
import type { WindowName } from '../experiment/objectives-schema.js';
import type { Timeline, WindowStats } from './timeline.js';
import { newLatencyHistogram } from './latency-histogram.js';
import { OUTCOME_KINDS, perOutcomeKind } from './request-outcome.js';

/** One fault's active time, epoch ms; `revertedAt` null while it is still active (or if it never was reverted). */
export interface FaultInterval {
  name: string;
  /** When the inject began: the fault may act from then on, so `during` starts here. Default: injectedAt. */
  injectStartedAt?: number;
  /** When the inject finished (RTO's t0). */
  injectedAt: number;
  revertedAt: number | null;
}

export type Range = readonly [number, number];

/**
 * The stretches [from, to) of each window; empty lists when a window did not occur (no fault: no `during`).
 *
 * With `bucketMs` (the timeline's bucket, aligned at `loadStart`), each fault's stretch is widened to whole buckets:
 * a bucket a fault touched, even for a millisecond, is a `during` bucket. Without it, the bucket holding a fault's
 * start would count in `before` whenever the fault began after its midpoint, and the requests that failed in those
 * few milliseconds would be blamed on the baseline. `before` and `after` stay clean; `during` may hold up to one
 * bucket of unfaulted traffic at each edge, which is the stated precision (± one bucket).
 */
export function windowRanges(
  loadStart: number,
  loadEnd: number,
  faults: readonly FaultInterval[],
  bucketMs?: number,
): Record<WindowName, Range[]> {
  const run: Range[] = [[loadStart, loadEnd]];
  if (faults.length === 0) return { run, before: run, during: [], after: [] };
  const down = (t: number) => (bucketMs ? loadStart + Math.floor((t - loadStart) / bucketMs) * bucketMs : t);
  const up = (t: number) => (bucketMs ? loadStart + Math.ceil((t - loadStart) / bucketMs) * bucketMs : t);
  const activeFrom = (f: FaultInterval) => down(f.injectStartedAt ?? f.injectedAt);
  const activeTo = (f: FaultInterval) => (f.revertedAt === null ? null : up(f.revertedAt));
  const sorted = [...faults].sort((a, b) => activeFrom(a) - activeFrom(b));
  const during: [number, number][] = [];
  for (const f of sorted) {
    const from = Math.max(loadStart, activeFrom(f));
    const to = Math.min(loadEnd, activeTo(f) ?? loadEnd);
    if (to <= from) continue;
    const last = during[during.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else during.push([from, to]);
  }
  const firstFault = Math.max(loadStart, activeFrom(sorted[0]));
  const before: Range[] = firstFault > loadStart ? [[loadStart, Math.min(firstFault, loadEnd)]] : [];
  const stillActive = faults.some((f) => f.revertedAt === null);
  const lastRevert = Math.max(...faults.map((f) => activeTo(f) ?? loadEnd));
  const after: Range[] = !stillActive && lastRevert < loadEnd ? [[lastRevert, loadEnd]] : [];
  return { run, before, during, after };
}

/** Sums the timeline over several stretches. */
export function summarizeRanges(timeline: Timeline, ranges: readonly Range[], failStatus = 500): WindowStats {
  const merged: WindowStats = {
    fromMs: ranges[0]?.[0] ?? timeline.startMs,
    toMs: ranges[ranges.length - 1]?.[1] ?? timeline.startMs,
    total: 0,
    succeeded: 0,
    byKind: perOutcomeKind(() => 0),
    dropped: 0,
    histogram: newLatencyHistogram(),
  };
  for (const [from, to] of ranges) {
    const part = timeline.summarize(from, to, failStatus);
    merged.total += part.total;
    merged.succeeded += part.succeeded;
    merged.dropped += part.dropped;
    for (const kind of OUTCOME_KINDS) merged.byKind[kind] += part.byKind[kind];
    merged.histogram.add(part.histogram);
  }
  return merged;
}

/** Total length of the stretches, ms. */
export function rangesDuration(ranges: readonly Range[]): number {
  return ranges.reduce((sum, [from, to]) => sum + Math.max(0, to - from), 0);
}

/**
 * SLOs over a window of the timeline (DESIGN.md §3): availability = successful / total; errorRate = 1 − availability;
 * latency pN from the merged HDR histograms, a timed-out request counted at its timeout; throughput in req/s over
 * the window's length.
 *
 * Every result says how the load was produced (the instrument: open or closed model, latency corrected or not), how
 * many requests were dropped and the intended against the achieved rate. A window in which the driver dropped more
 * than `load.allowDropped` of the requests it meant to send is "not measured": what was measured is not what users
 * would have sent.
 */
import { formatDuration } from '../units/duration.js';
import type { Slo } from '../experiment/types.js';
import { HISTOGRAM_PRECISION, percentileMs } from './latency-histogram.js';
import { loadFigures } from './load-figures.js';
import { describeInstrument, type LoadInstrument } from './load-instrument.js';
import type { ObjectiveResult } from './objective-result.js';
import type { Timeline } from './timeline.js';
import { rangesDuration, summarizeRanges, type Range } from './windows.js';

const pct = (f: number) => `${Number((f * 100).toFixed(3))}%`;

/** Evaluates an SLO measured from the load; a PromQL SLO is evaluated by evaluatePromqlSlo (src/measure/promql.ts). */
export function evaluateSlo(
  timeline: Timeline,
  ranges: readonly Range[],
  slo: Exclude<Slo, { kind: 'promql' }>,
  instrument: LoadInstrument | null = null,
): ObjectiveResult {
  const edges = `window edges ± ${formatDuration(timeline.bucketMs)} (one bucket)`;
  const base = { name: slo.name, kind: 'slo' };
  const stats = summarizeRanges(timeline, ranges, slo.failStatus);
  const durationMs = rangesDuration(ranges);
  const load = instrument ? loadFigures(stats, durationMs, instrument) : null;
  const evidence = {
    window: slo.window,
    stretches: ranges.map(([from, to]) => ({ from: new Date(from).toISOString(), to: new Date(to).toISOString() })),
    durationMs,
    requests: stats.total,
    succeeded: stats.succeeded,
    byKind: stats.byKind,
    ...(load ? { load } : {}),
  };
  const threshold = thresholdOf(slo);
  const unit = slo.kind === 'latency' ? 'ms' : slo.kind === 'throughput' ? 'req/s' : 'ratio';
  const notMeasured = (why: string): ObjectiveResult => ({ ...base, passed: false, value: null, unit, threshold, uncertainty: null, message: `${why}: cannot be measured`, evidence });
  if (stats.total === 0 && slo.kind !== 'throughput') {
    return notMeasured(ranges.length === 0 ? `the "${slo.window}" window did not occur in this run` : `no requests in the "${slo.window}" window`);
  }
  if (load && instrument && load.droppedShare !== null && load.droppedShare > instrument.allowDropped) {
    return notMeasured(
      `${load.dropped} of ${load.intended ?? load.sent + load.dropped} intended requests (${pct(load.droppedShare)}) were dropped in "${slo.window}" ` +
        `(load.maxInFlight reached; allowed: ${pct(instrument.allowDropped)}, load.allowDropped)`,
    );
  }
  const how = instrument && load ? ` (${describeInstrument(instrument)}; ${rateLine(load)})` : '';
  const availability = stats.total === 0 ? 0 : stats.succeeded / stats.total;
  switch (slo.kind) {
    case 'availability': {
      const passed = availability >= slo.atLeast;
      return { ...base, passed, value: availability, unit: 'ratio', threshold, uncertainty: `exact over ${stats.total} requests; ${edges}`,
        message: `availability ${pct(availability)} ${passed ? '≥' : '<'} ${pct(slo.atLeast)} in "${slo.window}"${how}`, evidence };
    }
    case 'errorRate': {
      const rate = 1 - availability;
      const passed = rate < slo.below;
      return { ...base, passed, value: rate, unit: 'ratio', threshold, uncertainty: `exact over ${stats.total} requests; ${edges}`,
        message: `error rate ${pct(rate)} ${passed ? '<' : '≥'} ${pct(slo.below)} in "${slo.window}"${how}`, evidence };
    }
    case 'latency': {
      const value = percentileMs(stats.histogram, slo.p);
      if (value === null) {
        return { ...base, passed: false, value: null, unit: 'ms', threshold, uncertainty: null, message: `no answered or timed-out request in "${slo.window}": p${slo.p} unknown`, evidence };
      }
      const passed = value < slo.belowMs;
      const timeouts = stats.byKind.timeout;
      const timeoutNote = timeouts > 0 ? `; ${timeouts} of ${stats.total} requests timed out and count at their timeout${instrument?.timeoutMs ? ` (${formatDuration(instrument.timeoutMs)})` : ''}` : '';
      return { ...base, passed, value, unit: 'ms', threshold, uncertainty: `${HISTOGRAM_PRECISION}; ${edges}`,
        message: `p${slo.p} ${value.toFixed(2)} ms ${passed ? '<' : '≥'} ${formatDuration(slo.belowMs)} in "${slo.window}"${timeoutNote}${how}`,
        evidence: { ...evidence, latencySamples: stats.histogram.totalCount, timeoutsCountedAtTimeout: timeouts } };
    }
    case 'throughput': {
      const value = durationMs > 0 ? stats.total / (durationMs / 1000) : 0;
      const passed = durationMs > 0 && value >= slo.atLeast;
      return { ...base, passed, value, unit: 'req/s', threshold, uncertainty: edges,
        message: `throughput ${value.toFixed(1)} req/s ${passed ? '≥' : '<'} ${slo.atLeast} req/s in "${slo.window}"${how}`, evidence };
    }
  }
}

/** "0 dropped, 199.8 of 200 req/s achieved", or what is known of it. */
function rateLine(load: { dropped: number; intendedRate: number | null; achievedRate: number | null }): string {
  const achieved = load.achievedRate === null ? 'rate unknown' : `${load.achievedRate.toFixed(1)} req/s achieved`;
  const intended = load.intendedRate === null ? '' : ` of ${load.intendedRate.toFixed(1)} intended`;
  return `${load.dropped} dropped, ${achieved}${intended}`;
}

function thresholdOf(slo: Exclude<Slo, { kind: 'promql' }>): ObjectiveResult['threshold'] {
  switch (slo.kind) {
    case 'availability':
      return { atLeast: slo.atLeast };
    case 'errorRate':
      return { below: slo.below };
    case 'latency':
      return { p: slo.p, belowMs: slo.belowMs };
    case 'throughput':
      return { atLeast: slo.atLeast };
  }
}

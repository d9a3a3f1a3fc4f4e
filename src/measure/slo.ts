/**
 * SLOs over a window of the timeline (DESIGN.md §3): availability = successful / total; errorRate = 1 − availability;
 * latency pN from the merged HDR histograms; throughput in req/s over the window's length.
 */
import { formatDuration } from '../experiment/duration.js';
import type { Slo } from '../experiment/types.js';
import { HISTOGRAM_PRECISION, percentileMs } from './latency-histogram.js';
import type { ObjectiveResult } from './objective-result.js';
import type { Timeline } from './timeline.js';
import { rangesDuration, summarizeRanges, type Range } from './windows.js';

const pct = (f: number) => `${Number((f * 100).toFixed(3))}%`;

/** Evaluates an SLO measured from the load; a PromQL SLO is evaluated by evaluatePromqlSlo (src/measure/promql.ts). */
export function evaluateSlo(timeline: Timeline, ranges: readonly Range[], slo: Exclude<Slo, { kind: 'promql' }>): ObjectiveResult {
  const edges = `window edges ± ${formatDuration(timeline.bucketMs)} (one bucket)`;
  const base = { name: slo.name, kind: 'slo' };
  const stats = summarizeRanges(timeline, ranges, slo.failStatus);
  const durationMs = rangesDuration(ranges);
  const evidence = {
    window: slo.window,
    stretches: ranges.map(([from, to]) => ({ from: new Date(from).toISOString(), to: new Date(to).toISOString() })),
    durationMs,
    requests: stats.total,
    succeeded: stats.succeeded,
    byKind: stats.byKind,
  };
  const threshold = thresholdOf(slo);
  if (stats.total === 0 && slo.kind !== 'throughput') {
    const why = ranges.length === 0 ? `the "${slo.window}" window did not occur in this run` : `no requests in the "${slo.window}" window`;
    return { ...base, passed: false, value: null, unit: slo.kind === 'latency' ? 'ms' : 'ratio', threshold, uncertainty: null, message: `${why}: cannot be measured`, evidence };
  }
  const availability = stats.total === 0 ? 0 : stats.succeeded / stats.total;
  switch (slo.kind) {
    case 'availability': {
      const passed = availability >= slo.atLeast;
      return { ...base, passed, value: availability, unit: 'ratio', threshold, uncertainty: `exact over ${stats.total} requests; ${edges}`,
        message: `availability ${pct(availability)} ${passed ? '≥' : '<'} ${pct(slo.atLeast)} in "${slo.window}"`, evidence };
    }
    case 'errorRate': {
      const rate = 1 - availability;
      const passed = rate < slo.below;
      return { ...base, passed, value: rate, unit: 'ratio', threshold, uncertainty: `exact over ${stats.total} requests; ${edges}`,
        message: `error rate ${pct(rate)} ${passed ? '<' : '≥'} ${pct(slo.below)} in "${slo.window}"`, evidence };
    }
    case 'latency': {
      const value = percentileMs(stats.histogram, slo.p);
      if (value === null) {
        return { ...base, passed: false, value: null, unit: 'ms', threshold, uncertainty: null, message: `no answered request in "${slo.window}": p${slo.p} unknown`, evidence };
      }
      const passed = value < slo.belowMs;
      return { ...base, passed, value, unit: 'ms', threshold, uncertainty: `${HISTOGRAM_PRECISION}; ${edges}`,
        message: `p${slo.p} ${value.toFixed(2)} ms ${passed ? '<' : '≥'} ${formatDuration(slo.belowMs)} in "${slo.window}"`,
        evidence: { ...evidence, answered: stats.histogram.totalCount } };
    }
    case 'throughput': {
      const value = durationMs > 0 ? stats.total / (durationMs / 1000) : 0;
      const passed = durationMs > 0 && value >= slo.atLeast;
      return { ...base, passed, value, unit: 'req/s', threshold, uncertainty: edges,
        message: `throughput ${value.toFixed(1)} req/s ${passed ? '≥' : '<'} ${slo.atLeast} req/s in "${slo.window}"`, evidence };
    }
  }
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

/**
 * PromQL-valued objectives (DESIGN.md §3, issue #6): an SLO whose value comes from a Prometheus range query over
 * its window. The query runs once per stretch of the window (`during` may be several) with `step`; the points of
 * all stretches are reduced to one value (max, min, avg or last). Points that are NaN (0/0 in a ratio) are left
 * out and counted. Measurement (querying) and evaluation (this file) are apart: evaluation never talks to a server.
 */
import { formatDuration } from '../units/duration.js';
import type { PromqlReducer } from '../experiment/objectives-schema.js';
import type { Slo } from '../experiment/types.js';
import type { Json } from '../json.js';
import type { ObjectiveResult } from './objective-result.js';
import type { Range } from './windows.js';

/** Prometheus refuses range queries of more than 11,000 points per series; the step is raised to stay under it. */
const MAX_POINTS = 11_000;

export type PromqlSlo = Extract<Slo, { kind: 'promql' }>;

/** The step actually used for a stretch: the configured one, raised when the stretch would exceed MAX_POINTS. */
export function effectiveStepMs(stepMs: number, rangeMs: number): number {
  return Math.max(stepMs, Math.ceil(rangeMs / (MAX_POINTS - 1)));
}

export function reducePoints(values: readonly number[], reduce: PromqlReducer): number {
  switch (reduce) {
    case 'max':
      return Math.max(...values);
    case 'min':
      return Math.min(...values);
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'last':
      return values[values.length - 1];
  }
}

/** The points of each stretch, as queried; or the error that stopped the query. */
export type PromqlSeries = { points: [number, number][]; labels: Record<string, string>; stepMs: number }[] | { error: string };

export function evaluatePromqlSlo(slo: PromqlSlo, ranges: readonly Range[], series: PromqlSeries): ObjectiveResult {
  const threshold: Json = slo.op === 'below' ? { below: slo.limit } : { atLeast: slo.limit };
  const base = { name: slo.name, kind: 'slo', unit: 'value' as const, threshold };
  const evidence: Record<string, Json> = {
    window: slo.window,
    target: slo.target,
    query: slo.query,
    reduce: slo.reduce,
    stretches: ranges.map(([from, to]) => ({ from: new Date(from).toISOString(), to: new Date(to).toISOString() })),
  };
  const notMeasured = (message: string): ObjectiveResult => ({ ...base, passed: false, value: null, uncertainty: null, message, evidence });
  if (ranges.length === 0) return notMeasured(`the "${slo.window}" window did not occur in this run: cannot be measured`);
  if ('error' in series) return notMeasured(`PromQL query failed: ${series.error}`);
  const all = series.flatMap((s) => s.points);
  const values = all.map(([, v]) => v).filter((v) => !Number.isNaN(v));
  const steps = [...new Set(series.map((s) => s.stepMs))];
  Object.assign(evidence, {
    stepMs: steps.length === 1 ? steps[0] : steps,
    points: all.length,
    nanPoints: all.length - values.length,
    labels: series.find((s) => s.points.length > 0)?.labels ?? {},
  });
  if (values.length === 0) {
    return notMeasured(
      all.length === 0
        ? `the query ${JSON.stringify(slo.query)} returned no series in the "${slo.window}" window`
        : `the query returned only NaN in the "${slo.window}" window`,
    );
  }
  const value = reducePoints(values, slo.reduce);
  const passed = slo.op === 'below' ? value < slo.limit : value >= slo.limit;
  const relation = slo.op === 'below' ? (passed ? '<' : '≥') : passed ? '≥' : '<';
  const shown = (v: number) => String(Number(v.toPrecision(6)));
  return {
    ...base,
    passed,
    value,
    uncertainty: `${values.length} points every ${steps.map(formatDuration).join('/')}; Prometheus sees the system at its scrape interval`,
    message: `${slo.reduce} of ${slo.query} = ${shown(value)} ${relation} ${shown(slo.limit)} in "${slo.window}"`,
    evidence,
  };
}

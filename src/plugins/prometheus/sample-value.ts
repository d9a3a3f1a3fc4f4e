/**
 * Prometheus results to numbers. Prometheus sends sample values as text ("0.25", "NaN", "+Inf"); a probe or an
 * objective needs exactly one series, and says clearly when the query matched nothing or several series.
 */
import type { PromResult, PromSeries } from './api-client.js';

/** A value as Prometheus writes it, as a number ("+Inf" → Infinity, "NaN" → NaN). */
export function parseSampleValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** `{job="api", code="500"}`: how a series is named in messages. */
export function seriesName(metric: Record<string, string>): string {
  const { __name__: name, ...labels } = metric;
  const inner = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
  return `${name ?? ''}{${inner}}`;
}

/** Thrown for a result that is not one series; the message says what was found and how to fix the query. */
export class SeriesShapeError extends Error {
  constructor(query: string, found: PromSeries[]) {
    super(
      found.length === 0
        ? `the query ${JSON.stringify(query)} returned no series (nothing matched, or no samples in the lookback window)`
        : `the query ${JSON.stringify(query)} returned ${found.length} series where one was expected: ` +
            `${found.slice(0, 3).map((s) => seriesName(s.metric)).join(', ')}${found.length > 3 ? ', …' : ''}; aggregate them (e.g. sum(...) or max(...))`,
    );
    this.name = 'SeriesShapeError';
  }
}

/** The single series of an instant query (a one-element vector, or a scalar). */
export function singleInstantValue(query: string, data: PromResult): { value: number; labels: Record<string, string> } {
  if (data.resultType === 'scalar') return { value: parseSampleValue(data.result[1]), labels: {} };
  if (data.resultType !== 'vector') throw new Error(`the query ${JSON.stringify(query)} returned a ${data.resultType}, expected a number`);
  if (data.result.length !== 1) throw new SeriesShapeError(query, data.result);
  const series = data.result[0];
  return { value: parseSampleValue(series.value![1]), labels: series.metric };
}

/** The points of the single series of a range query, [epoch ms, value]; none when nothing matched. */
export function singleRangeSeries(query: string, data: PromResult): { points: [number, number][]; labels: Record<string, string> } {
  if (data.resultType !== 'matrix') throw new Error(`the range query ${JSON.stringify(query)} returned a ${data.resultType}, expected a matrix`);
  if (data.result.length === 0) return { points: [], labels: {} };
  if (data.result.length > 1) throw new SeriesShapeError(query, data.result);
  const series = data.result[0];
  return { points: (series.values ?? []).map(([t, v]) => [Math.round(t * 1000), parseSampleValue(v)]), labels: series.metric };
}

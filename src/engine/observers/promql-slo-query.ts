/**
 * Queries Prometheus for a PromQL SLO: one range query per stretch of the window, at the SLO's step (raised when
 * a stretch would exceed Prometheus's point limit). A failed query becomes the objective's "not measured" reason.
 */
import { effectiveStepMs, type PromqlSeries, type PromqlSlo } from '../../measure/promql.js';
import type { Range } from '../../measure/windows.js';
import type { RunContext } from '../run-context.js';
import { metricsSourceOf } from './metrics-source.js';
import { messageOf } from '../../errors.js';

/** Bounds all the queries of one SLO; evaluation runs after the run's abort signal may have fired, so not that one. */
const SLO_QUERY_TIMEOUT_MS = 30_000;

export async function queryPromqlSlo(ctx: Pick<RunContext, 'targets'>, slo: PromqlSlo, ranges: readonly Range[]): Promise<PromqlSeries> {
  const signal = AbortSignal.timeout(SLO_QUERY_TIMEOUT_MS);
  try {
    const source = metricsSourceOf(ctx, slo.target);
    const out: Exclude<PromqlSeries, { error: string }> = [];
    for (const [from, to] of ranges) {
      const stepMs = effectiveStepMs(slo.stepMs, to - from);
      const series = await source.rangeSeries(slo.query, new Date(from), new Date(to), stepMs, signal);
      out.push({ ...series, stepMs });
    }
    return out;
  } catch (error) {
    return { error: messageOf(error) };
  }
}

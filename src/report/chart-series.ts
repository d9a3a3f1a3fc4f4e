/**
 * The timeline's columns as chart series: requests per second, error rate and latency percentiles per bucket, with
 * times in seconds from the start of load. A change of unit of what the journal holds, nothing more: buckets stay
 * buckets (no smoothing), an empty bucket has no latency (a gap, not a zero).
 */
import { ERROR_KINDS, OUTCOME_KINDS, isSuccess } from '../measure/request-outcome.js';
import { formatDuration } from './format.js';
import type { JournalView, MeasurementsView } from './journal-view.js';

export interface ChartSeries {
  /** Stable key, used as the `data-series` attribute. */
  key: string;
  label: string;
  /** One value per bucket; null draws a gap. */
  values: (number | null)[];
}

export interface TimeSpan {
  /** Seconds from the start of load. */
  from: number;
  to: number;
  label: string;
}

export interface TimeMark {
  at: number;
  label: string;
}

export interface TimelineCharts {
  bucketSeconds: number;
  durationSeconds: number;
  throughput: ChartSeries[];
  errorRate: ChartSeries[];
  latency: ChartSeries[];
  faultWindows: TimeSpan[];
  /** The RTO span (t0 → recovery), when an RTO was measured. */
  rto: TimeSpan | null;
  /** Lost writes of the RPO objective: the acknowledgement times of the oldest and newest lost write. */
  lostWrites: TimeMark[];
}

export function timelineCharts(view: JournalView): TimelineCharts | null {
  const m: MeasurementsView | null = view.measurements;
  if (m === null) return null;
  const { timeline } = m;
  const start = Date.parse(timeline.startedAt);
  const seconds = (iso: string) => (Date.parse(iso) - start) / 1000;
  const bucketSeconds = timeline.bucketMs / 1000;
  const buckets = timeline.counts['2xx'].length;
  const durationSeconds = Math.max(buckets * bucketSeconds, ...(m.windows.run ?? []).map((w) => seconds(w.to)));

  const totals: number[] = [];
  const errors: number[] = [];
  for (let i = 0; i < buckets; i++) {
    let total = 0;
    let failed = 0;
    for (const kind of OUTCOME_KINDS) {
      const n = timeline.counts[kind][i] ?? 0;
      total += n;
      // The report shows the default notion of failure (transport errors and 5xx), as the console does.
      if (!isSuccess(kind, 500)) failed += n;
    }
    totals.push(total);
    errors.push(failed);
  }
  const transport = (i: number) => ERROR_KINDS.reduce((sum, kind) => sum + (timeline.counts[kind][i] ?? 0), 0);

  const faultWindows = view.faults.map((f) => ({
    from: seconds(f.injectedAt),
    to: f.revertedAt === null ? durationSeconds : seconds(f.revertedAt),
    label: f.name,
  }));

  let rto: TimeSpan | null = null;
  const rtoResult = view.objectives.find((o) => o.kind === 'rto');
  const rtoEvidence = rtoResult?.evidence as Record<string, unknown> | undefined;
  if (rtoEvidence && typeof rtoEvidence.t0 === 'string' && typeof rtoEvidence.recoveredAt === 'string' && rtoResult!.value !== null) {
    rto = { from: seconds(rtoEvidence.t0), to: seconds(rtoEvidence.recoveredAt), label: `RTO ${formatDuration(rtoResult!.value)}` };
  }

  const lostWrites: TimeMark[] = [];
  const rpoEvidence = view.objectives.find((o) => o.kind === 'rpo')?.evidence as Record<string, { id?: number; ackAt?: string } | null> | undefined;
  for (const key of ['oldestLost', 'newestLost'] as const) {
    const write = rpoEvidence?.[key];
    if (write && typeof write.ackAt === 'string' && !lostWrites.some((w) => w.label.endsWith(`#${write.id}`))) {
      lostWrites.push({ at: seconds(write.ackAt), label: `lost write #${write.id}` });
    }
  }

  return {
    bucketSeconds,
    durationSeconds,
    throughput: [
      { key: 'requests', label: 'requests/s', values: totals.map((n) => n / bucketSeconds) },
      { key: 'transport-errors', label: 'transport errors/s', values: totals.map((_, i) => transport(i) / bucketSeconds) },
    ],
    errorRate: [{ key: 'error-rate', label: 'error rate %', values: totals.map((n, i) => (n === 0 ? null : (errors[i] / n) * 100)) }],
    latency: (['p50', 'p95', 'p99'] as const).map((p) => ({ key: p, label: `${p} ms`, values: timeline.latencyMs[p] })),
    faultWindows,
    rto,
    lostWrites,
  };
}

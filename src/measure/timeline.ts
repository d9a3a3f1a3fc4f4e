/**
 * The timeline (DESIGN.md §3): load samples in fixed buckets (default 100 ms), each with request counts by outcome,
 * the requests the load driver dropped, and an HDR histogram of latency, plus the run's events. Memory grows with
 * the run's duration, never with the request count: a bucket is a fixed array of counts and one histogram; the
 * newest `liveBuckets` keep their histogram as is (for guardrails over a trailing window), older ones keep it
 * encoded (about 1 KB).
 *
 * A request is placed in the bucket of the moment it was sent, or for the open model the moment it was meant to be
 * sent: the users who arrived while a fault was active are the ones counted in `during`, however late they were
 * answered.
 */
import { decodeHistogram, encodeHistogram, newLatencyHistogram, percentileMs, type LatencyHistogram } from './latency-histogram.js';
import { isSuccess, OUTCOME_KINDS, perOutcomeKind, type OutcomeKind } from './request-outcome.js';

export const DEFAULT_BUCKET_MS = 100;
/** Buckets kept decoded: 10 s at 100 ms, the longest trailing window guardrails read without decoding. */
const DEFAULT_LIVE_BUCKETS = 100;
const KIND_INDEX = new Map<OutcomeKind, number>(OUTCOME_KINDS.map((k, i) => [k, i]));

/** Something that happened during the run, placed on the timeline (fault injected, guardrail tripped…). */
export interface TimelineEvent {
  /** Epoch milliseconds. */
  at: number;
  kind: string;
  name: string;
  detail?: string;
}

interface Bucket {
  counts: Uint32Array;
  /** Requests the driver meant to send in this bucket but could not (its in-flight limit was reached). */
  dropped: number;
  histogram: LatencyHistogram | null;
  encoded: string | null;
}

/** What a stretch of the timeline holds. Counts are exact; its edges are exact to one bucket. */
export interface WindowStats {
  fromMs: number;
  toMs: number;
  total: number;
  succeeded: number;
  byKind: Record<OutcomeKind, number>;
  /** Requests meant to be sent in the window that the driver dropped; not in `total`. */
  dropped: number;
  /**
   * Latency, merged from the buckets: every request that got a response (any status), and every timed-out request
   * at its timeout. A closed model corrected for coordinated omission adds the requests a stall held back.
   */
  histogram: LatencyHistogram;
}

/** What load drivers write to: the timeline, or anything that records like it. */
export interface LoadRecorder {
  record(atMs: number, kind: OutcomeKind, latencyMs: number | null, expectedIntervalMs?: number): void;
  recordDropped(atMs: number, count?: number): void;
}

export interface TimelineOptions {
  /** Epoch ms of bucket 0 (the start of load). */
  startMs: number;
  bucketMs?: number;
  liveBuckets?: number;
}

export class Timeline implements LoadRecorder {
  readonly startMs: number;
  readonly bucketMs: number;
  readonly events: TimelineEvent[] = [];
  readonly #buckets: Bucket[] = [];
  readonly #liveBuckets: number;
  /** Buckets below this index have been encoded. */
  #encodedBelow = 0;
  /** Histograms of encoded buckets, reused by new buckets (no allocation per bucket in a steady run). */
  readonly #spare: LatencyHistogram[] = [];
  /** Old buckets a late sample decoded again; encoded at the next new bucket. */
  readonly #revived = new Set<Bucket>();

  constructor(options: TimelineOptions) {
    this.startMs = options.startMs;
    this.bucketMs = options.bucketMs ?? DEFAULT_BUCKET_MS;
    this.#liveBuckets = options.liveBuckets ?? DEFAULT_LIVE_BUCKETS;
  }

  /**
   * Records one request sent (or meant to be sent) at `atMs` (epoch ms). `latencyMs` is null when it is unknown (a
   * refused connect); a timeout is recorded at its timeout, so a latency percentile cannot pass while requests time
   * out (DESIGN.md §3). `expectedIntervalMs`: the closed model's correction for coordinated omission (HdrHistogram's
   * recordValueWithExpectedInterval): a connection that waited `latencyMs` would have sent a request every
   * `expectedIntervalMs` meanwhile, so their latencies are added to the histogram (not to the counts).
   */
  record(atMs: number, kind: OutcomeKind, latencyMs: number | null, expectedIntervalMs?: number): void {
    const index = this.#indexAt(atMs);
    const bucket = this.#buckets[index];
    bucket.counts[KIND_INDEX.get(kind)!] += 1;
    if (latencyMs === null || kind === 'refused' || kind === 'reset' || kind === 'error') return;
    const micros = Math.max(1, Math.round(latencyMs * 1000));
    const histogram = this.#histogramOf(bucket, index);
    if (expectedIntervalMs !== undefined && expectedIntervalMs > 0) histogram.recordValueWithExpectedInterval(micros, Math.round(expectedIntervalMs * 1000));
    else histogram.recordValue(micros);
  }

  /** Records requests meant to be sent at `atMs` that the driver dropped (its in-flight limit was reached). */
  recordDropped(atMs: number, count = 1): void {
    this.#buckets[this.#indexAt(atMs)].dropped += count;
  }

  addEvent(event: TimelineEvent): void {
    this.events.push(event);
  }

  /** Number of buckets so far (the index of the newest plus one). */
  get length(): number {
    return this.#buckets.length;
  }

  /** Start (epoch ms) of bucket `index`. */
  bucketStart(index: number): number {
    return this.startMs + index * this.bucketMs;
  }

  /**
   * Counts and latency over [fromMs, toMs): every bucket whose midpoint lies inside. `failStatus` decides which
   * statuses are failures (500: 5xx; 400: 4xx and 5xx).
   */
  summarize(fromMs: number, toMs: number, failStatus = 500): WindowStats {
    const byKind = perOutcomeKind(() => 0);
    const histogram = newLatencyHistogram();
    let dropped = 0;
    const first = Math.max(0, Math.ceil((fromMs - this.startMs) / this.bucketMs - 0.5));
    const last = Math.min(this.#buckets.length - 1, Math.ceil((toMs - this.startMs) / this.bucketMs - 0.5) - 1);
    for (let i = first; i <= last; i++) {
      const bucket = this.#buckets[i];
      if (!bucket) continue;
      OUTCOME_KINDS.forEach((kind, k) => (byKind[kind] += bucket.counts[k]));
      dropped += bucket.dropped;
      if (bucket.histogram) histogram.add(bucket.histogram);
      else if (bucket.encoded) histogram.add(decodeHistogram(bucket.encoded));
    }
    let total = 0;
    let succeeded = 0;
    for (const kind of OUTCOME_KINDS) {
      total += byKind[kind];
      if (isSuccess(kind, failStatus)) succeeded += byKind[kind];
    }
    return { fromMs, toMs, total, succeeded, byKind, dropped, histogram };
  }

  /**
   * The compact form for the journal: one column per measure, one entry per bucket. Latency percentiles per bucket
   * are in ms; the full histograms stay out (windows are computed before the journal is written).
   */
  toJournal(): TimelineJournal {
    const columns = perOutcomeKind((): number[] => []);
    const p50: (number | null)[] = [];
    const p95: (number | null)[] = [];
    const p99: (number | null)[] = [];
    const max: (number | null)[] = [];
    const dropped: number[] = [];
    const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
    for (const bucket of this.#buckets) {
      OUTCOME_KINDS.forEach((kind, k) => columns[kind].push(bucket.counts[k]));
      dropped.push(bucket.dropped);
      const h = bucket.histogram ?? (bucket.encoded ? decodeHistogram(bucket.encoded) : null);
      p50.push(h ? round(percentileMs(h, 50)) : null);
      p95.push(h ? round(percentileMs(h, 95)) : null);
      p99.push(h ? round(percentileMs(h, 99)) : null);
      max.push(h && h.totalCount > 0 ? round(h.maxValue / 1000) : null);
    }
    return {
      startedAt: new Date(this.startMs).toISOString(),
      bucketMs: this.bucketMs,
      counts: columns,
      dropped,
      latencyMs: { p50, p95, p99, max },
      events: this.events.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
    };
  }

  #indexAt(atMs: number): number {
    const index = Math.max(0, Math.floor((atMs - this.startMs) / this.bucketMs));
    // A sample may land in an already encoded bucket (a late response after a long pause): decode it back.
    if (this.#buckets.length <= index) {
      while (this.#buckets.length <= index) this.#buckets.push({ counts: new Uint32Array(OUTCOME_KINDS.length), dropped: 0, histogram: null, encoded: null });
      this.#encodeOld(this.#buckets.length - 1 - this.#liveBuckets);
    }
    return index;
  }

  #histogramOf(bucket: Bucket, index: number): LatencyHistogram {
    if (!bucket.histogram) {
      bucket.histogram = this.#spare.pop() ?? newLatencyHistogram();
      if (bucket.encoded) {
        bucket.histogram.add(decodeHistogram(bucket.encoded));
        bucket.encoded = null;
      }
      if (index < this.#encodedBelow) this.#revived.add(bucket);
    }
    return bucket.histogram;
  }

  /** Encodes the histograms of buckets at or below `upTo` and recycles them. */
  #encodeOld(upTo: number): void {
    for (; this.#encodedBelow <= upTo; this.#encodedBelow++) this.#encode(this.#buckets[this.#encodedBelow]);
    if (this.#revived.size === 0) return;
    for (const bucket of this.#revived) this.#encode(bucket);
    this.#revived.clear();
  }

  #encode(bucket: Bucket): void {
    if (!bucket.histogram) return;
    bucket.encoded = bucket.histogram.totalCount > 0 ? encodeHistogram(bucket.histogram) : null;
    bucket.histogram.reset();
    this.#spare.push(bucket.histogram);
    bucket.histogram = null;
  }
}

export interface TimelineJournal {
  startedAt: string;
  bucketMs: number;
  counts: Record<OutcomeKind, number[]>;
  /** Requests the driver dropped per bucket (open model: its in-flight limit was reached); absent in older journals. */
  dropped?: number[];
  latencyMs: { p50: (number | null)[]; p95: (number | null)[]; p99: (number | null)[]; max: (number | null)[] };
  events: Array<Omit<TimelineEvent, 'at'> & { at: string }>;
}

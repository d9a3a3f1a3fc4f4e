/**
 * Guardrails (`safety.abortWhen`) on the live timeline and on probes. A load condition is computed over a
 * trailing window every CHECK_INTERVAL_MS and must hold for `for` before it trips; a probe guardrail trips after
 * `failures` consecutive failed probes. A trip is reported once, with the condition and the value seen.
 */
import type { Guardrail } from '../../experiment/types.js';
import { percentileMs } from '../../measure/latency-histogram.js';
import type { Timeline } from '../../measure/timeline.js';
import type { RunContext } from '../run-context.js';
import { sampleProbe, Ticker } from './probe-sample.js';
import { metricsSourceOf } from './metrics-source.js';
import { messageOf } from '../../errors.js';

/** Load conditions are checked this often: a trip is seen within this of the condition holding long enough. */
const CHECK_INTERVAL_MS = 200;

export interface GuardrailTrip {
  condition: string;
  /** What was seen, e.g. "errorRate 62.5% (500 of 800 requests)". */
  observed: string;
  value: number;
  at: string;
}

/** The value a load condition looks at over the window, and whether it crosses the threshold; null: not enough data. */
export function evaluateLoadCondition(g: Guardrail, timeline: Timeline, nowMs: number): { value: number; crossed: boolean; observed: string } | null {
  if (g.kind === 'probe' || g.kind === 'promql') return null;
  const stats = timeline.summarize(nowMs - g.overMs, nowMs, g.failStatus);
  if (stats.total < g.minRequests) return null;
  const availability = stats.succeeded / stats.total;
  const pct = (f: number) => `${(f * 100).toFixed(2)}%`;
  const of = `(${stats.total - stats.succeeded} failed of ${stats.total} requests)`;
  switch (g.kind) {
    case 'errorRate':
      return { value: 1 - availability, crossed: 1 - availability > g.above, observed: `errorRate ${pct(1 - availability)} ${of}` };
    case 'availability':
      return { value: availability, crossed: availability < g.below, observed: `availability ${pct(availability)} ${of}` };
    case 'latency': {
      const p = percentileMs(stats.histogram, g.p);
      if (p === null) return null;
      return { value: p, crossed: p > g.aboveMs, observed: `p${g.p} ${p.toFixed(1)} ms over ${stats.histogram.totalCount} answers` };
    }
  }
}

export class Guardrails {
  #timer: NodeJS.Timeout | undefined;
  readonly #tickers: Ticker[] = [];
  readonly #heldSince = new Map<Guardrail, number>();
  #tripped = false;
  /** Aborted by stop(): probes and queries in flight end at once, so a trip never waits on a slow answer. */
  readonly #stopping = new AbortController();

  readonly #ctx: RunContext;
  readonly #timeline: Timeline;
  readonly #guardrails: readonly Guardrail[];
  readonly #onTrip: (trip: GuardrailTrip) => void;

  constructor(
    ctx: RunContext,
    timeline: Timeline,
    guardrails: readonly Guardrail[],
    onTrip: (trip: GuardrailTrip) => void,
  ) {
    this.#ctx = ctx;
    this.#timeline = timeline;
    this.#guardrails = guardrails;
    this.#onTrip = onTrip;
  }

  start(): void {
    if (this.#guardrails.some((g) => g.kind !== 'probe' && g.kind !== 'promql')) this.#timer = setInterval(() => this.#check(), CHECK_INTERVAL_MS);
    for (const g of this.#guardrails) {
      if (g.kind === 'promql') this.#startPromql(g);
      if (g.kind !== 'probe') continue;
      let consecutive = 0;
      // One probe at a time: "N consecutive failures" needs an order.
      const ticker = new Ticker(g.intervalMs, 1, async () => {
        const sample = await sampleProbe(this.#ctx, g.probe, g.intervalMs, this.#stopping.signal);
        if (this.#stopping.signal.aborted) return;
        consecutive = sample.ok ? 0 : consecutive + 1;
        if (consecutive >= g.failures) this.#trip(g, consecutive, `${consecutive} consecutive failures, last: ${sample.message}`);
      });
      this.#tickers.push(ticker);
      ticker.start();
    }
  }

  /**
   * A PromQL guardrail queries every `interval` (one query at a time) and trips once the value has been past its
   * limit for `for`. A query that fails or returns no series does not trip it and resets `for`: a guardrail
   * cannot prove a condition from no data. Each failure is logged so a blind guardrail is visible.
   */
  #startPromql(g: Extract<Guardrail, { kind: 'promql' }>): void {
    let heldSince: number | null = null;
    const ticker = new Ticker(g.intervalMs, 1, async () => {
      const signal = AbortSignal.any([this.#ctx.abortSignal, this.#stopping.signal, AbortSignal.timeout(Math.max(g.intervalMs, 5_000))]);
      let value: number;
      try {
        value = (await untilAborted(metricsSourceOf(this.#ctx, g.target).instantValue(g.query, signal), signal)).value;
      } catch (error) {
        if (!this.#ctx.abortSignal.aborted && !this.#stopping.signal.aborted) this.#ctx.logger.warn(`guardrail "${g.description}": ${messageOf(error)}`);
        heldSince = null;
        return;
      }
      const crossed = g.op === 'above' ? value > g.limit : value < g.limit;
      if (!crossed) {
        heldSince = null;
        return;
      }
      const now = Date.now();
      heldSince ??= now;
      if (now - heldSince >= g.forMs) this.#trip(g, value, `${g.query} = ${Number(value.toPrecision(6))} (${g.op} ${g.limit})`);
    });
    this.#tickers.push(ticker);
    ticker.start();
  }

  /**
   * Stops checking (at the end of the method: a revert must not trip a guardrail). Probes and queries in flight
   * are cut short, so this returns at once and the revert after a trip starts within the second the README
   * promises, whatever a guardrail probe was waiting for. Idempotent.
   */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#stopping.abort(new Error('guardrails stopped'));
    await Promise.all(this.#tickers.map((t) => t.stop()));
  }

  #check(): void {
    const now = Date.now();
    for (const g of this.#guardrails) {
      const seen = evaluateLoadCondition(g, this.#timeline, now);
      if (!seen || !seen.crossed) {
        this.#heldSince.delete(g);
        continue;
      }
      const since = this.#heldSince.get(g) ?? now;
      this.#heldSince.set(g, since);
      if (now - since >= g.forMs) this.#trip(g, seen.value, seen.observed);
    }
  }

  #trip(g: Guardrail, value: number, observed: string): void {
    if (this.#tripped) return;
    this.#tripped = true;
    void this.stop();
    this.#onTrip({ condition: g.description, observed, value, at: new Date().toISOString() });
  }
}

/** `work`, or a rejection as soon as `signal` aborts: a source that ignores its signal cannot hold a stop up. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * The open-model load driver (DESIGN.md §3, "load is an instrument"): requests leave at their scheduled times
 * (arrival-schedule.ts) whatever is still outstanding, so a server that stalls meets the traffic its users would
 * have sent, and each latency counts from the scheduled send time: a request that waited for a frozen server
 * reports the whole wait (no coordinated omission). A request due while `maxInFlight` are outstanding is dropped
 * and counted, like k6's dropped_iterations, never sent late. A request not answered `timeout` after its scheduled
 * time is a timeout, recorded at that latency.
 *
 * Requests go through the driver's own keep-alive HTTP/1.1 pool (http1-pool.ts: one request per connection at a
 * time, as many connections as requests outstanding unless `connections` says fewer), built like autocannon's client
 * (the request encoded once, one write per request, responses read by http-parser-js): undici's general-purpose
 * client cost about 60 % more CPU per request, and on a machine that client and server share that CPU is the
 * rate (bench/load-overhead.ts). One timer (wake-timer.ts) drives everything: it sends what is due, times out what is
 * overdue, and sleeps until the next of the two. Requests are placed on the timeline at their scheduled time.
 */
import { performance } from 'node:perf_hooks';
import { ChaosError, ExitCode, messageOf } from '../errors.js';
import type { Json } from '../json.js';
import { newLatencyHistogram, percentileMs } from '../measure/latency-histogram.js';
import type { OutcomeKind } from '../measure/request-outcome.js';
import type { LoadRecorder } from '../measure/timeline.js';
import { ArrivalSchedule } from './arrival-schedule.js';
import { Http1Pool } from './http1-pool.js';
import { encodeRequest } from './http1-request.js';
import { InFlightQueue } from './in-flight-queue.js';
import type { HttpLoad } from '../experiment/load-schema.js';
import type { LoadDriver } from './load-driver.js';
import { ScheduledRequest, type RequestOutcomes } from './scheduled-request.js';
import { WakeTimer } from './wake-timer.js';

/** Requests sent in one turn of the event loop at most, so a catch-up after a stall never blocks I/O for long. */
const MAX_SENDS_PER_TURN = 2000;

/**
 * Requests closer together than this leave in batches, one per timer tick (each up to ~1 ms late): waking for each
 * one precisely would take a loop turn per request, more CPU than the requests themselves (bench/load-overhead.ts).
 */
const PRECISE_GAP_MS = 0.5;

export class OpenModelDriver implements LoadDriver, RequestOutcomes {
  readonly name = 'http';
  readonly #config: HttpLoad;
  readonly #recorder: LoadRecorder;
  readonly #schedule: ArrivalSchedule;
  readonly #inFlight = new InFlightQueue<ScheduledRequest>();
  readonly #schedulingError = newLatencyHistogram();
  #pool: Http1Pool | null = null;
  /** Epoch ms and performance.now() at the start of load: the schedule's zero. */
  #startEpoch = 0;
  #startPerf = 0;
  /** Index and scheduled time (ms from the start) of the next request, and of the one before it. */
  #next = 0;
  #nextAt = 0;
  #previousAt = -Infinity;
  /** Requests the pool holds (they count against maxInFlight), and those of them without an outcome yet. */
  #outstanding = 0;
  #unsettled = 0;
  #peakOutstanding = 0;
  readonly #wake = new WakeTimer(() => this.#tick());
  #stopping = false;
  #stoppedAt = 0;
  #drained: (() => void) | null = null;
  #stopped: Promise<Json> | null = null;
  readonly #counts = { sent: 0, dropped: 0, answered: 0, timeouts: 0, errors: 0 };

  constructor(config: HttpLoad, recorder: LoadRecorder) {
    this.#config = config;
    this.#recorder = recorder;
    this.#schedule = new ArrivalSchedule(config.rate, config.stages);
  }

  async start(): Promise<void> {
    let url: URL;
    try {
      url = new URL(this.#config.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported protocol ${url.protocol}`);
    } catch (error) {
      throw new ChaosError(`load.url "${this.#config.url}" is not an http(s) URL: ${messageOf(error)}`, {
        code: 'E_LOAD_URL',
        exitCode: ExitCode.InvalidInput,
        hint: 'write e.g. http://127.0.0.1:8080/orders',
      });
    }
    const { method, headers, body, connections } = this.#config;
    // The deadline of each request (from its scheduled send time) is the only timeout: it also bounds a connect.
    this.#pool = new Http1Pool(url, encodeRequest(url, method, headers, body), connections ?? Infinity);
    this.#startEpoch = Date.now();
    this.#startPerf = performance.now();
    this.#nextAt = this.#schedule.at(0);
    this.#tick();
  }

  stop(): Promise<Json> {
    this.#stopped ??= (async () => {
      // Every request due before the stop is sent, late if the event loop was busy when it fell due: the run's
      // intended count is the schedule's up to the stop instant, whatever the timers did.
      this.#stoppedAt = performance.now();
      if (this.#pool !== null) this.#sendDue(this.#stoppedAt, Infinity);
      this.#stopping = true;
      // Outstanding requests end by their deadline at the latest: their outcome belongs to the run.
      if (this.#unsettled > 0) {
        await new Promise<void>((resolve) => {
          this.#drained = resolve;
          this.#rearm();
        });
      }
      this.#wake.cancel();
      this.#pool?.destroy();
      return this.#summary();
    })();
    return this.#stopped;
  }

  /**
   * Records a request's outcome once: the first of its answer, its error, or its deadline. An outcome that comes
   * after the deadline, before the timer that watches it fired, is a timeout all the same.
   */
  settle(request: ScheduledRequest, kind: OutcomeKind, latencyMs = performance.now() - request.scheduledAt): void {
    if (request.settled) return;
    request.settled = true;
    this.#unsettled--;
    if (kind === 'timeout' || latencyMs >= this.#config.timeout) {
      kind = 'timeout';
      this.#counts.timeouts++;
      latencyMs = this.#config.timeout;
    } else if (kind.endsWith('xx')) this.#counts.answered++;
    else this.#counts.errors++;
    this.#recorder.record(this.#epochOf(request.scheduledAt), kind, latencyMs);
    if (this.#stopping && this.#unsettled === 0) this.#drained?.();
  }

  release(request: ScheduledRequest): void {
    if (request.released) return;
    request.released = true;
    this.#outstanding--;
  }

  #epochOf(perf: number): number {
    return this.#startEpoch + (perf - this.#startPerf);
  }

  #tick(): void {
    const now = performance.now();
    this.#expire(now);
    this.#sendDue(now, MAX_SENDS_PER_TURN);
    this.#rearm();
  }

  /** Sends (or counts as dropped, past maxInFlight) the requests due by `now`, at most `budget` of them. */
  #sendDue(now: number, budget: number): void {
    while (!this.#stopping && this.#startPerf + this.#nextAt <= now && budget-- > 0) {
      const scheduledAt = this.#startPerf + this.#nextAt;
      this.#previousAt = this.#nextAt;
      this.#nextAt = this.#schedule.at(++this.#next);
      if (this.#outstanding >= this.#config.maxInFlight) {
        this.#counts.dropped++;
        this.#recorder.recordDropped(this.#epochOf(scheduledAt));
      } else this.#send(scheduledAt);
    }
  }

  #send(scheduledAt: number): void {
    const request = new ScheduledRequest(this, scheduledAt);
    this.#outstanding++;
    this.#unsettled++;
    this.#peakOutstanding = Math.max(this.#peakOutstanding, this.#outstanding);
    this.#counts.sent++;
    this.#inFlight.push(request);
    const sentAt = performance.now();
    this.#schedulingError.recordValue(Math.max(1, Math.round((sentAt - scheduledAt) * 1000)));
    this.#pool!.send(request, sentAt);
  }

  /** Every outstanding request past its deadline is a timeout. */
  #expire(now: number): void {
    const timeout = this.#config.timeout;
    for (let head = this.#inFlight.peek(); head; head = this.#inFlight.peek()) {
      if (!head.settled) {
        if (head.scheduledAt + timeout > now) return;
        this.settle(head, 'timeout');
        this.#pool!.abandon(head);
      }
      this.#inFlight.shift();
    }
  }

  /**
   * Sleeps until the next request is due (precisely, unless requests are dense: its send time is what the schedule
   * promises) or the oldest outstanding one reaches its deadline (to the millisecond: a timeout is recorded at the
   * timeout whenever it is noticed).
   */
  #rearm(): void {
    if (this.#stopping && this.#unsettled === 0) return this.#wake.cancel();
    const head = this.#inFlight.peek();
    const deadline = head ? head.scheduledAt + this.#config.timeout : Infinity;
    const due = this.#stopping ? Infinity : this.#startPerf + this.#nextAt;
    this.#wake.set(Math.min(deadline, due), due <= deadline && this.#nextAt - this.#previousAt >= PRECISE_GAP_MS);
  }

  #summary(): Json {
    const { rate, stages, maxInFlight, timeout } = this.#config;
    // Never started (start() refused the url): nothing ran.
    const seconds = this.#pool === null ? 0.001 : Math.max(0.001, (this.#stoppedAt - this.#startPerf) / 1000);
    const intended = this.#counts.sent + this.#counts.dropped;
    const ms = (p: number) => {
      const v = percentileMs(this.#schedulingError, p);
      return v === null ? null : Math.round(v * 1000) / 1000;
    };
    return {
      driver: 'http',
      model: 'open',
      rate: rate ?? null,
      stages: stages ? stages.map((s) => ({ rate: s.rate, forMs: s.for })) : null,
      maxInFlight,
      timeoutMs: timeout,
      startedAt: this.#pool === null ? null : new Date(this.#startEpoch).toISOString(),
      durationMs: Math.round(seconds * 1000),
      intended,
      ...this.#counts,
      intendedRate: Math.round((intended / seconds) * 100) / 100,
      achievedRate: Math.round((this.#counts.sent / seconds) * 100) / 100,
      peakInFlight: this.#peakOutstanding,
      schedulingErrorMs: { p50: ms(50), p99: ms(99), max: ms(100) },
    };
  }
}

export function httpDriver(config: HttpLoad, recorder: LoadRecorder): OpenModelDriver {
  return new OpenModelDriver(config, recorder);
}

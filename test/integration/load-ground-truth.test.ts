/**
 * Load against a known truth (issue 16). A real server on 127.0.0.1, in its own process, answers every request
 * after exactly one 5 ms timer; the test freezes it with SIGSTOP for 2 s in the middle of a 10 s run at 200 req/s.
 * The true latency of every request a user would have sent is known from the schedule alone:
 *   - sent ≥ 5 ms before the freeze, or after it: 5 ms;
 *   - its timer due during the freeze: answered at the resume (R − t);
 *   - sent during the freeze: read at the resume, answered 5 ms later (R + 5 − t).
 * The open-model driver must agree with that truth over `run` and `during`: the count of requests per window
 * exactly, the availability exactly, p50 within a few ms, p95/p99 within the time the server takes to drain the
 * 400 requests that waited for it (see TOLERANCE). The same run with autocannon (closed model, 10 connections)
 * is printed beside it, uncorrected and corrected for coordinated omission, to show how far off a closed model is.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Slo } from '../../src/experiment/types.js';
import { autocannonDriver } from '../../src/load/autocannon-driver.js';
import { httpDriver } from '../../src/load/http-driver.js';
import { instrumentOf } from '../../src/load/instrument.js';
import { autocannonLoadSchema, httpLoadSchema } from '../../src/experiment/load-schema.js';
import type { LoadDriver } from '../../src/load/load-driver.js';
import type { OutcomeKind } from '../../src/measure/request-outcome.js';
import { evaluateSlo } from '../../src/measure/slo.js';
import { Timeline, type LoadRecorder } from '../../src/measure/timeline.js';
import { windowRanges, type Range } from '../../src/measure/windows.js';

const RATE = 200;
const SERVICE_MS = 5;
const RUN_MS = 10_000;
const FREEZE_AT_MS = 4_000;
const FREEZE_MS = 2_000;
const PERCENTILES = [50, 95, 99] as const;

/**
 * How far a measured percentile may be from the truth, ms, and why:
 * - below the truth: 1 ms. Nothing is answered sooner than the truth says; the freeze and resume instants are read
 *   with Date.now() (1 ms steps) around the kill() calls.
 * - above the truth, for a request the freeze did not touch (p50 over the run): 4 ms. The truth counts the
 *   server's 5 ms timer only; the loopback round trip, HTTP parsing and timers firing late on a shared 2-core
 *   machine add about 1 ms idle, a few under load.
 * - above the truth, for a request that waited for the freeze (p95/p99 over the run, all of `during`): also the
 *   server's drain, which it measures itself in the same run. At the resume the server must accept the connections
 *   opened during the freeze and read ~400 requests, one after the other (about 0.2–0.5 ms each on a shared 2-core
 *   machine, much more when other work takes the CPU): real latency that users would see, which a truth computed
 *   from the schedule alone leaves out. Then 10 ms for the driver to read ~400 answers at once.
 *   The drain must stay under DRAIN_LIMIT_MS (a quarter of the freeze; 180–440 ms measured at a load average of
 *   4.5–5.5 on 2 cores shared with other test suites, 400–700 ms at 7–10): beyond it the machine, not the driver,
 *   makes the figures (rerun).
 */
const TOLERANCE = { below: 1, untouchedAbove: 4, readAnswersMs: 10 };
const DRAIN_LIMIT_MS = 500;
/**
 * The server. It also watches itself: a 1 ms interval that sees a gap of over half a second marks the resume, and
 * from then on it keeps the time it read each request (GET /drain returns both).
 */
const SERVER = `
let last = Date.now(), resumedAt = null;
const reads = [];
setInterval(() => { const now = Date.now(); if (now - last > 500 && resumedAt === null) resumedAt = now; last = now; }, 1);
const s = require('http').createServer((q, r) => {
  q.resume();
  if (q.url === '/drain') return r.end(JSON.stringify({ resumedAt, reads }));
  if (resumedAt !== null && reads.length < 10000) reads.push(Date.now());
  setTimeout(() => r.end('ok'), ${SERVICE_MS});
});
s.keepAliveTimeout = 60000;
s.listen({ host: '127.0.0.1', port: 0, backlog: 2048 }, () => console.log(s.address().port));`;

/**
 * From the server's own record: how long after the resume it read the last of the `queued` requests sent during
 * the freeze. They all wait in socket buffers at the resume, so the server reads them first; a request sent after
 * the resume (one every 5 ms) may slip in between, which makes the bound a little looser, never tighter.
 */
async function drainOf(url: string, resumedAfter: number, queued: number): Promise<number> {
  const { resumedAt, reads } = (await (await fetch(`${url}drain`)).json()) as { resumedAt: number | null; reads: number[] };
  expect(resumedAt, 'the server saw its own freeze').to.not.equal(null);
  expect(reads.length, 'the server read every request queued by the freeze').to.be.at.least(queued);
  return Math.max(0, reads[queued - 1]! - resumedAfter);
}

interface Freeze {
  /** Epoch ms just before SIGSTOP and just after it; the same for the SIGCONT. */
  stopBefore: number;
  stopAfter: number;
  contBefore: number;
  contAfter: number;
}

interface RunResult {
  timeline: Timeline;
  freeze: Freeze;
  loadStart: number;
  loadEnd: number;
  summary: Record<string, unknown>;
}

/** Runs `driver` for RUN_MS and freezes the server for FREEZE_MS at FREEZE_AT_MS. */
async function runWithFreeze(server: ChildProcess, timeline: Timeline, driver: LoadDriver): Promise<RunResult> {
  const loadStart = timeline.startMs;
  await driver.start();
  const started = Date.now();
  await sleep(FREEZE_AT_MS);
  const stopBefore = Date.now();
  server.kill('SIGSTOP');
  const stopAfter = Date.now();
  await sleep(FREEZE_MS - (Date.now() - stopBefore));
  const contBefore = Date.now();
  server.kill('SIGCONT');
  const contAfter = Date.now();
  await sleep(RUN_MS - (Date.now() - started));
  const summary = (await driver.stop()) as Record<string, unknown>;
  return { timeline, freeze: { stopBefore, stopAfter, contBefore, contAfter }, loadStart, loadEnd: Date.now(), summary };
}

/** The windows of the run as the engine computes them: the freeze is the fault. */
function windowsOf(run: RunResult): { run: Range[]; during: Range[] } {
  const fault = { name: 'freeze', injectStartedAt: run.freeze.stopBefore, injectedAt: run.freeze.stopAfter, revertedAt: run.freeze.contAfter };
  const ranges = windowRanges(run.loadStart, run.loadEnd, [fault], run.timeline.bucketMs);
  return { run: ranges.run, during: ranges.during };
}

/** The true latency of a request scheduled at epoch ms `t`. */
function trueLatency(t: number, freeze: Freeze): number {
  const stop = freeze.stopAfter;
  const resume = freeze.contAfter;
  if (t + SERVICE_MS <= stop || t >= resume) return SERVICE_MS;
  if (t < stop) return resume - t;
  return resume + SERVICE_MS - t;
}

/** Nearest rank, as HdrHistogram reports a percentile. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The truth over a window: the requests the schedule put in its buckets, and their latencies. */
function truthOver(ranges: readonly Range[], scheduled: readonly number[], timeline: Timeline) {
  const inWindow = scheduled.filter((t) => {
    // A request belongs to the bucket holding its scheduled time; a bucket to the window holding its midpoint.
    const mid = timeline.bucketStart(Math.floor((t - timeline.startMs) / timeline.bucketMs)) + timeline.bucketMs / 2;
    return ranges.some(([from, to]) => mid >= from && mid < to);
  });
  return inWindow;
}

const latencySlo = (p: number, window: 'run' | 'during'): Exclude<Slo, { kind: 'promql' }> => ({ name: `p${p}`, window, failStatus: 500, kind: 'latency', p, belowMs: 60_000 });
const availabilitySlo = (window: 'run' | 'during'): Exclude<Slo, { kind: 'promql' }> => ({ name: 'availability', window, failStatus: 500, kind: 'availability', atLeast: 1 });

/** Records into two timelines: one with the closed model's correction for coordinated omission, one without. */
function tee(corrected: Timeline, uncorrected: Timeline): LoadRecorder {
  return {
    record(atMs: number, kind: OutcomeKind, latencyMs: number | null, expectedIntervalMs?: number) {
      corrected.record(atMs, kind, latencyMs, expectedIntervalMs);
      uncorrected.record(atMs, kind, latencyMs);
    },
    recordDropped(atMs: number, count?: number) {
      corrected.recordDropped(atMs, count);
      uncorrected.recordDropped(atMs, count);
    },
  };
}

describe('load against ground truth: a 5 ms server frozen for 2 s in a 10 s run at 200 req/s', function () {
  this.timeout(60_000);
  let server: ChildProcess;
  let url: string;
  const figures: Record<string, Record<string, number | null>> = {};

  beforeEach(async () => {
    server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<number>((resolve) => server.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    url = `http://127.0.0.1:${port}/`;
  });
  afterEach(() => {
    server.kill('SIGCONT');
    server.kill('SIGKILL');
  });
  after(() => {
    // The side-by-side figures (truth, open model, closed model) for the record.
    const rows = Object.entries(figures).map(([name, f]) => `  ${name.padEnd(34)} ${Object.entries(f).map(([k, v]) => `${k} ${v === null ? '–' : v.toFixed(1)}`).join('  ')}`);
    if (rows.length > 0) console.log(`\n  latency ms (window: p50/p95/p99), requests\n${rows.join('\n')}\n`);
  });

  function measured(run: RunResult, windows: { run: Range[]; during: Range[] }, load: Parameters<typeof instrumentOf>[0], timeline = run.timeline) {
    const out: Record<string, number | null> = {};
    for (const w of ['run', 'during'] as const) {
      for (const p of PERCENTILES) out[`${w} p${p}`] = evaluateSlo(timeline, windows[w], latencySlo(p, w), instrumentOf(load)).value;
      out[`${w} requests`] = timeline.summarize(windows[w][0]![0], windows[w].at(-1)![1]).total;
    }
    return out;
  }

  it('the open model agrees with the truth: request counts and availability exactly, p50 within 4 ms, p95/p99 within the drain time', async () => {
    const load = httpLoadSchema.parse({ type: 'http', url, rate: RATE, timeout: '10s', maxInFlight: 1000 });
    const timeline = new Timeline({ startMs: Date.now() });
    const run = await runWithFreeze(server, timeline, httpDriver(load, timeline));
    // The truth is computed from the instants the freeze really began and ended; this only keeps the scenario the
    // one described (a timer may fire some ms late on a busy machine).
    const frozeFor = run.freeze.contAfter - run.freeze.stopAfter;
    expect(frozeFor, 'the freeze lasted about 2 s').to.be.within(FREEZE_MS - 2, FREEZE_MS + 200);

    // The schedule: request n at start + n/RATE, for every request the driver meant to send.
    const start = Date.parse(run.summary.startedAt as string);
    const intended = run.summary.intended as number;
    // Request n is due at n × 5 ms: the driver ran durationMs (rounded to 1 ms), so n ran up to durationMs / 5.
    const slots = Math.floor(((run.summary.durationMs as number) * RATE) / 1000) + 1;
    expect(intended, 'requests meant to be sent while the driver ran').to.be.within(slots - 1, slots + 1);
    expect(intended).to.be.at.least((RUN_MS / 1000) * RATE);
    expect(run.summary.dropped).to.equal(0);
    const scheduled = Array.from({ length: intended }, (_, n) => start + (n * 1000) / RATE);
    const windows = windowsOf(run);
    // The during window is the freeze widened to whole buckets: never more than one bucket wider at each edge.
    const [[duringFrom, duringTo]] = windows.during as [Range];
    expect(run.freeze.stopBefore - duringFrom).to.be.within(0, timeline.bucketMs);
    expect(duringTo - run.freeze.contAfter).to.be.within(0, timeline.bucketMs);

    const got = measured(run, windows, load);
    const queued = scheduled.filter((t) => t >= run.freeze.stopAfter && t < run.freeze.contBefore).length;
    const drainMs = await drainOf(url, run.freeze.contAfter, queued);
    expect(drainMs, `the server took ${drainMs} ms to read what the freeze queued (a busy machine: rerun)`).to.be.at.most(DRAIN_LIMIT_MS);
    const truth: Record<string, number> = {};
    for (const w of ['run', 'during'] as const) {
      const inWindow = truthOver(windows[w], scheduled, timeline);
      const latencies = inWindow.map((t) => trueLatency(t, run.freeze)).sort((a, b) => a - b);
      truth[`${w} requests`] = inWindow.length;
      for (const p of PERCENTILES) truth[`${w} p${p}`] = percentile(latencies, p);
      // Every request of the window was sent, answered and placed in its scheduled bucket.
      expect(got[`${w} requests`], `${w}: requests`).to.equal(inWindow.length);
      const availability = evaluateSlo(timeline, windows[w], availabilitySlo(w), instrumentOf(load));
      expect(availability.value, `${w}: availability (${availability.message})`).to.equal(1);
    }
    figures['truth'] = truth;
    figures['open model (http)'] = got;

    figures['open model (http)']!['server drain'] = drainMs;
    for (const w of ['run', 'during'] as const) {
      for (const p of PERCENTILES) {
        const key = `${w} p${p}`;
        const untouched = p === 50 && w === 'run';
        const above = TOLERANCE.untouchedAbove + (untouched ? 0 : drainMs + TOLERANCE.readAnswersMs);
        expect(got[key], `${key}: measured ${got[key]} ms, truth ${truth[key]} ms, drain ${drainMs} ms`).to.be.within(truth[key]! - TOLERANCE.below, truth[key]! + above);
      }
    }
    // The freeze shows: p99 over the run is most of the 2 s, not the 5 ms of a healthy server.
    expect(truth['run p99']).to.be.greaterThan(1_800);
  });

  it('the closed model (autocannon, 10 connections) on the same run: uncorrected it misses the freeze; corrected it comes close', async () => {
    const load = autocannonLoadSchema.parse({ type: 'autocannon', url, rate: RATE, connections: 10, timeout: '10s' });
    const startMs = Date.now();
    const corrected = new Timeline({ startMs });
    const uncorrected = new Timeline({ startMs });
    const run = await runWithFreeze(server, corrected, autocannonDriver(load, tee(corrected, uncorrected)));
    const windows = windowsOf(run);
    const scheduled = Array.from({ length: (RUN_MS / 1000) * RATE }, (_, n) => startMs + (n * 1000) / RATE);
    const truthRun = truthOver(windows.run, scheduled, corrected).map((t) => trueLatency(t, run.freeze)).sort((a, b) => a - b);
    const truthP99 = percentile(truthRun, 99);
    const raw = measured(run, windows, { ...load, rate: undefined }, uncorrected);
    const fixed = measured(run, windows, load, corrected);
    figures['closed model, uncorrected'] = raw;
    figures['closed model, corrected (HdrHistogram)'] = fixed;
    // The stall hides in a closed model: ten connections wait, ten requests carry the freeze, p99 stays small.
    expect(raw['run p99'], 'uncorrected p99 over the run').to.be.below(truthP99 / 4);
    // Corrected per connection (one request every 50 ms), the freeze's weight comes back: within 25 % of the truth.
    expect(fixed['run p99'], 'corrected p99 over the run').to.be.within(truthP99 * 0.75, truthP99 * 1.25);
  });
});

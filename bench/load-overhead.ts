/**
 * The load drivers against bare autocannon, in one run, against the same local server (its own process,
 * 127.0.0.1), alternating rounds. Prints, with the load average of the machine while it ran:
 *
 * 1. throughput: bare autocannon (closed model, --connections) reaches X req/s; the open-model driver (`type:
 *    http`, timeline on, the same number of connections) is then asked for X req/s and must sustain ≥ 0.9 · X
 *    (answered per second; drops shown); the autocannon driver (timeline on) against bare autocannon, goal ≥ 0.95.
 * 2. scheduling error of the open-model driver at --rate (default 1000 req/s): achieved − scheduled send time,
 *    p50/p99/max; goal p99 ≤ 2 ms.
 * 3. memory: the open-model driver at --rate for --memory-seconds (default 60), heap + array buffers every 5 s,
 *    growth from the start; goal < 50 MB (bounded: memory follows buckets, not requests).
 *
 *   npm run bench:load -- [--seconds 8] [--rounds 3] [--connections 20] [--rate 1000] [--memory-seconds 60]
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { autocannonDriver } from '../src/load/autocannon-driver.js';
import { httpDriver } from '../src/load/http-driver.js';
import { autocannonLoadSchema, httpLoadSchema } from '../src/experiment/load-schema.js';
import { Timeline } from '../src/measure/timeline.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '20' },
    rate: { type: 'string', default: '1000' },
    'memory-seconds': { type: 'string', default: '60' },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const connections = Number(values.connections);
const rate = Number(values.rate);
const memorySeconds = Number(values['memory-seconds']);

const SERVER = `const s=require('http').createServer((q,r)=>r.end('ok'));s.keepAliveTimeout=60000;s.listen({host:'127.0.0.1',port:0,backlog:4096},()=>console.log(s.address().port))`;
const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<number>((resolve) => server.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
const url = `http://127.0.0.1:${port}/`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const loads: number[] = [];
const noteLoad = () => loads.push(loadavg()[0]!);

/** Bare autocannon, counted like the drivers: responses received over wall-clock time. */
async function bare(): Promise<number> {
  let responses = 0;
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds }, (error) => (error ? reject(error) : resolve()));
    instance.on('response', () => responses++);
  });
  return responses / ((Date.now() - started) / 1000);
}

/** The autocannon driver (closed model) with its timeline. */
async function closedDriver(): Promise<number> {
  const timeline = new Timeline({ startMs: Date.now() });
  const d = autocannonDriver(autocannonLoadSchema.parse({ type: 'autocannon', url, connections }), timeline);
  const started = Date.now();
  await d.start();
  await sleep(seconds * 1000);
  await d.stop();
  const elapsed = (Date.now() - started) / 1000;
  return timeline.summarize(started - 1000, Date.now() + 60_000).total / elapsed;
}

interface OpenSummary {
  intended: number;
  sent: number;
  dropped: number;
  answered: number;
  errors: number;
  timeouts: number;
  durationMs: number;
  peakInFlight: number;
  schedulingErrorMs: { p50: number; p99: number; max: number };
}

/**
 * The open-model driver asked for `perSecond`, with its timeline; answered per second of its run. `pool`: its
 * connections (default: one per request outstanding, the product's default).
 */
async function openDriver(
  perSecond: number,
  runSeconds: number,
  pool?: number,
  onTick?: (timeline: Timeline, t: number) => void,
): Promise<{ answeredRate: number; summary: OpenSummary }> {
  const timeline = new Timeline({ startMs: Date.now() });
  const d = httpDriver(httpLoadSchema.parse({ type: 'http', url, rate: perSecond, timeout: '10s', ...(pool === undefined ? {} : { connections: pool }) }), timeline);
  await d.start();
  for (let t = 5; t <= runSeconds; t += 5) {
    await sleep(5000);
    onTick?.(timeline, t);
  }
  await sleep((runSeconds % 5) * 1000);
  const summary = (await d.stop()) as unknown as OpenSummary;
  return { answeredRate: summary.answered / (summary.durationMs / 1000), summary };
}

try {
  console.log(`load average at start: ${load()} (2 cores; other work on the machine lowers every figure)`);
  await bare(); // warm-up (JIT, connections)
  const bares: number[] = [];
  const opens: number[] = [];
  const closed: number[] = [];
  for (let i = 0; i < rounds; i++) {
    noteLoad();
    const reached = await bare();
    // As many connections as autocannon had: the comparison is of the drivers' cost per request, not of pool sizes
    // (at the server's limit, one connection per outstanding request would open hundreds).
    const open = await openDriver(Math.round(reached), seconds, connections);
    const closedRate = await closedDriver();
    bares.push(reached);
    opens.push(open.answeredRate / reached);
    closed.push(closedRate / reached);
    const s = open.summary;
    console.log(
      `round ${i + 1}: bare autocannon ${reached.toFixed(0)} req/s; open-model driver asked for it: ${open.answeredRate.toFixed(0)} req/s answered ` +
        `(ratio ${(open.answeredRate / reached).toFixed(3)}; sent ${s.sent}, dropped ${s.dropped}, errors ${s.errors + s.timeouts}, peak in flight ${s.peakInFlight}); ` +
        `autocannon driver ${closedRate.toFixed(0)} req/s (ratio ${(closedRate / reached).toFixed(3)})`,
    );
  }
  console.log(`throughput: bare autocannon ${median(bares).toFixed(0)} req/s; open-model driver ratio ${median(opens).toFixed(3)} (goal ≥ 0.9); autocannon driver ratio ${median(closed).toFixed(3)} (goal ≥ 0.95)`);

  noteLoad();
  const precision = await openDriver(rate, seconds);
  const e = precision.summary.schedulingErrorMs;
  console.log(`scheduling error at ${rate} req/s over ${seconds}s: p50 ${e.p50} ms, p99 ${e.p99} ms, max ${e.max} ms (goal p99 ≤ 2 ms); ${precision.summary.sent} sent, ${precision.summary.dropped} dropped`);

  if (memorySeconds > 0) {
    const mem = () => {
      globalThis.gc?.();
      const m = process.memoryUsage();
      return (m.heapUsed + m.arrayBuffers) / 1024 / 1024;
    };
    const base = mem();
    let peak = base;
    noteLoad();
    const { summary } = await openDriver(rate, memorySeconds, undefined, (timeline, t) => {
      const now = mem();
      peak = Math.max(peak, now);
      const s = timeline.summarize(timeline.startMs, Date.now() + 60_000);
      console.log(`  ${t}s: ${s.total} requests, heap+buffers ${now.toFixed(1)} MB (growth ${(now - base).toFixed(1)} MB), load ${load()}`);
    });
    console.log(
      `memory: open-model driver at ${rate} req/s for ${memorySeconds}s: ${summary.sent} sent, ${summary.dropped} dropped, scheduling error p99 ${summary.schedulingErrorMs.p99} ms; ` +
        `growth ${(peak - base).toFixed(1)} MB (goal < 50 MB)${globalThis.gc ? '' : ' (run with node --expose-gc for exact figures)'}`,
    );
  }
  noteLoad();
  console.log(`load average (1 min) while measuring: ${loads.map((l) => l.toFixed(2)).join(', ')}; at the end: ${load()}`);
} finally {
  server.kill('SIGKILL');
}

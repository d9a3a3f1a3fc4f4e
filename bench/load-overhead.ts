/**
 * The load drivers against bare autocannon, in one run, against the same local server (its own process,
 * 127.0.0.1). Each round runs, back to back: the open-model driver and the autocannon driver (in turns: which of
 * the two goes first alternates), then the open-model driver at --rate, between two runs of bare autocannon (the
 * one after a round is the one before the next); so a busy moment of the machine hits every figure of a round
 * alike, and a load that rises or falls during a round weighs on both sides of its ratios. Each ratio is taken
 * within its round; the median over rounds is the figure, printed with its spread (min–max) and the load average
 * of every round.
 *
 * 1. throughput: bare autocannon (closed model, --connections) reaches X req/s before the round; the open-model
 *    driver (`type: http`, timeline on, the same number of connections) is asked for X req/s and must answer
 *    ≥ 0.9 · the mean of bare autocannon before and after the round (drops shown); the autocannon driver (timeline
 *    on) against the same mean, goal ≥ 0.95.
 * 2. CPU per response, µs, of the client (this process) and of the server, for each. Client and server share the
 *    machine's 2 cores, so when the CPU is what limits them the rate follows the CPU both spend per response: the
 *    ratio it predicts, (bare client + server) / (driver client + server), is printed beside the measured one and
 *    moves far less with the load. It is a floor when the open-model driver keeps up: requests that are not sent
 *    back to back cost more each (fewer of them share a wake of the event loop), on both sides.
 * 3. scheduling error of the open-model driver at --rate (default 1000 req/s): achieved − scheduled send time,
 *    p50/p99/max; goal p99 ≤ 2 ms; with its CPU per response at that rate.
 * 4. memory: the open-model driver at --rate for --memory-seconds (default 60), heap + array buffers every 5 s,
 *    growth from the start; goal < 50 MB (bounded: memory follows buckets, not requests).
 *
 *   npm run bench:load -- [--seconds 5] [--rounds 5] [--connections 20] [--rate 1000] [--memory-seconds 60]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { bareAutocannon, closedDriver, measure, openDriver, startLoadServer, type OpenSummary, type Phase } from './load-measure.js';
import { median } from './proxy-measure.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '20' },
    rate: { type: 'string', default: '1000' },
    'memory-seconds': { type: 'string', default: '60' },
  },
});
const seconds = Number(values.seconds);
const rounds = Math.max(1, Number(values.rounds));
const connections = Number(values.connections);
const rate = Number(values.rate);
const memorySeconds = Number(values['memory-seconds']);

const loadNow = () => loadavg().map((l) => l.toFixed(2)).join(' ');
/** "median (min–max)" with `digits` decimals. */
const spread = (xs: number[], digits: number) => `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
const cpu = (p: Phase<unknown>) => `${p.clientMicros.toFixed(1)} + ${p.serverMicros.toFixed(1)} µs`;
interface Round {
  /** Bare autocannon just before the round and just after it (the next round's `before`). */
  before: Phase<null>;
  after: Phase<null>;
  open: Phase<OpenSummary>;
  closed: Phase<null>;
  precise: Phase<OpenSummary>;
}

/** Bare autocannon's rate around the round: the mean of before and after, so a load that rises or falls meanwhile weighs on both sides. */
const bareRate = (r: Round) => (r.before.rate + r.after.rate) / 2;
const bareMicros = (r: Round) => (r.before.clientMicros + r.before.serverMicros + r.after.clientMicros + r.after.serverMicros) / 2;
/** The throughput ratio the CPU per response predicts when client and server are limited by the CPU they share. */
const predicted = (driver: Phase<unknown>, r: Round) => bareMicros(r) / (driver.clientMicros + driver.serverMicros);

const server = await startLoadServer();
const url = server.url;
try {
  console.log(`load average at start: ${loadNow()} (2 cores; other work on the machine lowers every rate, much less the CPU per response)`);
  // Warm-up: every measured code path once (JIT, connections), so round 1 is not the one that pays for it.
  const warm = await bareAutocannon(url, connections, 2);
  await openDriver(url, { rate: Math.round(warm.rate), seconds: 2, connections });
  await closedDriver(url, connections, 2);
  const done: Round[] = [];
  const runBare = () => measure(server, () => bareAutocannon(url, connections, seconds));
  let before = await runBare();
  for (let i = 0; i < rounds; i++) {
    // As many connections as autocannon had: the comparison is of the drivers' cost per request, not of pool sizes
    // (at the server's limit, one connection per outstanding request would open hundreds).
    const runOpen = () => measure(server, () => openDriver(url, { rate: Math.round(before.rate), seconds, connections }));
    const runClosed = () => measure(server, () => closedDriver(url, connections, seconds));
    let open: Phase<OpenSummary>;
    let closed: Phase<null>;
    if (i % 2 === 0) {
      open = await runOpen();
      closed = await runClosed();
    } else {
      closed = await runClosed();
      open = await runOpen();
    }
    const precise = await measure(server, () => openDriver(url, { rate, seconds }));
    const after = await runBare();
    const round: Round = { before, after, open, closed, precise };
    done.push(round);
    before = after;
    const s = open.detail;
    const e = precise.detail.schedulingErrorMs;
    console.log(
      `round ${i + 1} (load ${round.before.load.toFixed(2)}): bare autocannon ${round.before.rate.toFixed(0)} req/s before, ${after.rate.toFixed(0)} after, ` +
        `CPU client + server ${cpu(round.before)}, ${cpu(after)}; ` +
        `open-model driver asked for ${Math.round(round.before.rate)}: ${open.rate.toFixed(0)} req/s, ratio ${(open.rate / bareRate(round)).toFixed(3)} ` +
        `(CPU predicts ${predicted(open, round).toFixed(3)}), ${cpu(open)}, sent ${s.sent}, dropped ${s.dropped}, errors ${s.errors + s.timeouts}, peak in flight ${s.peakInFlight}; ` +
        `autocannon driver ${closed.rate.toFixed(0)} req/s, ratio ${(closed.rate / bareRate(round)).toFixed(3)} (CPU predicts ${predicted(closed, round).toFixed(3)}), ${cpu(closed)}; ` +
        `at ${rate} req/s: scheduling error p50 ${e.p50} p99 ${e.p99} max ${e.max} ms, ${cpu(precise)}, ${precise.detail.dropped} dropped`,
    );
  }
  const of = (f: (r: Round) => number) => done.map(f);
  console.log(`median (min–max) over ${rounds} rounds of ${seconds}s:`);
  console.log(`  bare autocannon: ${spread(of(bareRate), 0)} req/s`);
  console.log(
    `  open-model driver: ratio ${spread(of((r) => r.open.rate / bareRate(r)), 3)} (goal ≥ 0.9); CPU predicts ${spread(of((r) => predicted(r.open, r)), 3)}`,
  );
  console.log(
    `  autocannon driver: ratio ${spread(of((r) => r.closed.rate / bareRate(r)), 3)} (goal ≥ 0.95); CPU predicts ${spread(of((r) => predicted(r.closed, r)), 3)}`,
  );
  for (const [name, pick] of [
    ['bare autocannon (before each round)', (r: Round) => r.before],
    ['open-model driver at the same rate', (r: Round) => r.open],
    ['autocannon driver', (r: Round) => r.closed],
    [`open-model driver at ${rate} req/s`, (r: Round) => r.precise],
  ] as const) {
    console.log(`  CPU per response, ${name}: client ${spread(of((r) => pick(r).clientMicros), 1)} µs, server ${spread(of((r) => pick(r).serverMicros), 1)} µs`);
  }
  const errors = of((r) => r.precise.detail.schedulingErrorMs.p99);
  console.log(
    `  scheduling error at ${rate} req/s: p50 ${spread(of((r) => r.precise.detail.schedulingErrorMs.p50), 3)} ms, p99 ${spread(errors, 3)} ms (goal p99 ≤ 2 ms), ` +
      `max ${Math.max(...of((r) => r.precise.detail.schedulingErrorMs.max)).toFixed(3)} ms`,
  );

  if (memorySeconds > 0) {
    const mem = () => {
      globalThis.gc?.();
      const m = process.memoryUsage();
      return (m.heapUsed + m.arrayBuffers) / 1024 / 1024;
    };
    const base = mem();
    let peak = base;
    const { detail: summary } = await openDriver(url, {
      rate,
      seconds: memorySeconds,
      every5s: (timeline, t) => {
        const now = mem();
        peak = Math.max(peak, now);
        const s = timeline.summarize(timeline.startMs, Date.now() + 60_000);
        console.log(`  ${t}s: ${s.total} requests, heap+buffers ${now.toFixed(1)} MB (growth ${(now - base).toFixed(1)} MB), load ${loadNow()}`);
      },
    });
    console.log(
      `memory: open-model driver at ${rate} req/s for ${memorySeconds}s: ${summary.sent} sent, ${summary.dropped} dropped, scheduling error p99 ${summary.schedulingErrorMs.p99} ms; ` +
        `growth ${(peak - base).toFixed(1)} MB (goal < 50 MB)${globalThis.gc ? '' : ' (run with node --expose-gc for exact figures)'}`,
    );
  }
  console.log(`load average (1 min) as each round began: ${of((r) => r.before.load).map((l) => l.toFixed(2)).join(', ')}; at the end: ${loadNow()}`);
} finally {
  server.close();
}

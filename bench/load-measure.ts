/**
 * What bench/load-overhead measures, one phase at a time, against one HTTP server in its own process (127.0.0.1):
 * responses per second, and the CPU each side spent per response. CPU per response is far steadier than
 * responses per second when other work shares the machine, and on a 2-core machine shared by client and server it
 * is what decides the rate: (client + server µs per response) · rate ≈ the CPU the two get.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { autocannonDriver } from '../src/load/autocannon-driver.js';
import { httpDriver } from '../src/load/http-driver.js';
import { autocannonLoadSchema, httpLoadSchema } from '../src/experiment/load-schema.js';
import { Timeline } from '../src/measure/timeline.js';

/** Answers "ok" to everything, keeps connections alive, and tells its own CPU time when asked over IPC. */
const SERVER = `
const s = require('http').createServer((q, r) => r.end('ok'));
s.keepAliveTimeout = 60000;
s.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => console.log(s.address().port));
process.on('message', () => { const c = process.cpuUsage(); process.send(c.user + c.system); });
`;

export interface LoadServer {
  url: string;
  /** CPU time the server process has used so far, µs. */
  cpuMicros(): Promise<number>;
  close(): void;
}

export async function startLoadServer(): Promise<LoadServer> {
  const child: ChildProcess = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  return {
    url: `http://127.0.0.1:${port}/`,
    cpuMicros: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(Number(m)));
        child.send('cpu');
      }),
    close: () => child.kill('SIGKILL'),
  };
}

export interface Phase<T> {
  /** Responses per second, as the phase counts them. */
  rate: number;
  /** CPU per response, µs: this process (the client) and the server's. */
  clientMicros: number;
  serverMicros: number;
  /** The machine's 1-minute load average as the phase began. */
  load: number;
  detail: T;
}

/** Runs one phase; `run` answers how many responses it received, its rate, and anything else to report. */
export async function measure<T>(server: LoadServer, run: () => Promise<{ responses: number; rate: number; detail: T }>): Promise<Phase<T>> {
  const load = loadavg()[0]!;
  const server0 = await server.cpuMicros();
  const client0 = process.cpuUsage();
  const { responses, rate, detail } = await run();
  const client = process.cpuUsage(client0);
  const serverMicros = (await server.cpuMicros()) - server0;
  const per = (micros: number) => micros / Math.max(1, responses);
  return { rate, clientMicros: per(client.user + client.system), serverMicros: per(serverMicros), load, detail };
}

/** Bare autocannon, closed model: responses received over wall-clock time. */
export async function bareAutocannon(url: string, connections: number, seconds: number) {
  let responses = 0;
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds }, (error) => (error ? reject(error) : resolve()));
    instance.on('response', () => responses++);
  });
  return { responses, rate: responses / ((performance.now() - started) / 1000), detail: null };
}

/** The autocannon driver (closed model) with its timeline: responses on the timeline over wall-clock time. */
export async function closedDriver(url: string, connections: number, seconds: number) {
  const timeline = new Timeline({ startMs: Date.now() });
  const driver = autocannonDriver(autocannonLoadSchema.parse({ type: 'autocannon', url, connections }), timeline);
  const started = Date.now();
  await driver.start();
  await sleep(seconds * 1000);
  await driver.stop();
  const responses = timeline.summarize(started - 1000, Date.now() + 60_000).total;
  return { responses, rate: responses / ((Date.now() - started) / 1000), detail: null };
}

export interface OpenSummary {
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
 * The open-model driver (`type: http`) asked for `rate` req/s with its timeline: answered per second of its run.
 * `connections`: its pool (default: one per request outstanding, the product's default). `every5s` is called every
 * 5 s of the run with the timeline.
 */
export async function openDriver(url: string, options: { rate: number; seconds: number; connections?: number; every5s?: (timeline: Timeline, t: number) => void }) {
  const { rate, seconds, connections, every5s } = options;
  const timeline = new Timeline({ startMs: Date.now() });
  const config = httpLoadSchema.parse({ type: 'http', url, rate, timeout: '10s', ...(connections === undefined ? {} : { connections }) });
  const driver = httpDriver(config, timeline);
  await driver.start();
  for (let t = 5; t <= seconds; t += 5) {
    await sleep(5000);
    every5s?.(timeline, t);
  }
  await sleep((seconds % 5) * 1000);
  const summary = (await driver.stop()) as unknown as OpenSummary;
  return { responses: summary.answered, rate: summary.answered / (summary.durationMs / 1000), detail: summary };
}

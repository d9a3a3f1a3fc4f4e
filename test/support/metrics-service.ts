/**
 * A real service for Prometheus to scrape, in its own process (so a process fault can freeze it): prom-client
 * metrics whose values are known exactly. `demo_requests_total{code="200"}` grows at 100/s and `{code="500"}` at
 * 5/s, computed from the clock at each scrape, so rate() over any window is exactly those figures; the gauge
 * `demo_temperature_celsius` is 42.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from './cli.js';

export interface MetricsService {
  pid: number;
  /** host:port, as Prometheus's `instance` label shows it. */
  address: string;
  stop(): Promise<void>;
}

const SCRIPT = `
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
const require = createRequire(${JSON.stringify(join(ROOT, 'package.json'))});
const client = require('prom-client');
const registry = new client.Registry();
const started = Date.now();
const RATES = { '200': 100, '500': 5 };
const counted = { '200': 0, '500': 0 };
new client.Counter({
  name: 'demo_requests_total', help: 'requests by status code', labelNames: ['code'], registers: [registry],
  collect() {
    const seconds = (Date.now() - started) / 1000;
    for (const code of Object.keys(RATES)) {
      const target = RATES[code] * seconds;
      this.inc({ code }, target - counted[code]);
      counted[code] = target;
    }
  },
});
new client.Gauge({ name: 'demo_temperature_celsius', help: 'a constant', registers: [registry] }).set(42);
const server = createServer(async (req, res) => {
  res.setHeader('content-type', registry.contentType);
  res.end(await registry.metrics());
});
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.address().port, pid: process.pid }) + '\\n'));
process.on('SIGTERM', () => process.exit(0));
`;

export async function startMetricsService(dir: string): Promise<MetricsService> {
  const file = join(dir, 'metrics-service.mjs');
  await writeFile(file, SCRIPT);
  const child: ChildProcess = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
    });
    child.once('exit', () => reject(new Error('metrics service exited before listening')));
  });
  const { port, pid } = JSON.parse(first) as { port: number; pid: number };
  return {
    pid,
    address: `127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      // SIGCONT first: a test may have left it paused.
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGKILL');
      await gone;
    },
  };
}

/** Waits until Prometheus has scraped `instance` successfully (it hands new targets to scrapers every ~5 s). */
export async function waitForScrape(prometheusUrl: string, instance: string, timeoutMs = 25_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const body = (await (await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(`up{instance="${instance}"}`)}`)).json()) as {
      data: { result: Array<{ value: [number, string] }> };
    };
    if (body.data.result.some((r) => r.value[1] === '1')) return;
    if (Date.now() > deadline) throw new Error(`Prometheus did not scrape ${instance} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

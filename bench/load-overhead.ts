/**
 * Overhead of the chaosdrill autocannon driver (with timeline recording) against bare autocannon, against the
 * same local server (its own process, 127.0.0.1) in one run, alternating A/B rounds; prints the throughput ratio
 * (goal ≥ 0.95). Then a memory run: the driver at the highest rate the machine sustains (closed model) for
 * --memory-seconds (default 60), printing heap + array buffers every 5 s and the growth (goal < 50 MB).
 *
 *   npm run bench:load -- [--seconds 8] [--rounds 3] [--connections 20] [--memory-seconds 60]
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { autocannonDriver } from '../src/load/autocannon-driver.js';
import { Timeline } from '../src/measure/timeline.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '20' },
    'memory-seconds': { type: 'string', default: '60' },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const connections = Number(values.connections);
const memorySeconds = Number(values['memory-seconds']);

const SERVER = `const s=require('http').createServer((q,r)=>r.end('ok'));s.keepAliveTimeout=60000;s.listen(0,'127.0.0.1',()=>console.log(s.address().port))`;
const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<number>((resolve) => server.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
const url = `http://127.0.0.1:${port}/`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Bare autocannon, counted like the driver: responses received over wall-clock time. */
async function bare(): Promise<number> {
  let responses = 0;
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds }, (error) => (error ? reject(error) : resolve()));
    instance.on('response', () => responses++);
  });
  return responses / ((Date.now() - started) / 1000);
}

async function driver(): Promise<{ rate: number; timeline: Timeline }> {
  const timeline = new Timeline({ startMs: Date.now() });
  const d = autocannonDriver({ type: 'autocannon', url, method: 'GET', headers: {}, connections, timeout: 10_000, bucket: 100 }, timeline);
  const started = Date.now();
  await d.start();
  await sleep(seconds * 1000);
  await d.stop();
  const stats = timeline.summarize(started, Date.now() + 1000);
  return { rate: stats.total / ((Date.now() - started) / 1000), timeline };
}

try {
  await bare(); // warm-up (JIT, connections)
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < rounds; i++) {
    a.push(await bare());
    b.push((await driver()).rate);
    console.log(`round ${i + 1}: bare ${a[i]!.toFixed(0)} req/s, driver ${b[i]!.toFixed(0)} req/s`);
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const ratio = median(b) / median(a);
  console.log(`throughput: bare ${median(a).toFixed(0)} req/s, chaosdrill driver ${median(b).toFixed(0)} req/s, ratio ${ratio.toFixed(3)} (goal ≥ 0.95)`);

  if (memorySeconds > 0) {
    const mem = () => {
      globalThis.gc?.();
      const m = process.memoryUsage();
      return (m.heapUsed + m.arrayBuffers) / 1024 / 1024;
    };
    const timeline = new Timeline({ startMs: Date.now() });
    const d = autocannonDriver({ type: 'autocannon', url, method: 'GET', headers: {}, connections, timeout: 10_000, bucket: 100 }, timeline);
    await d.start();
    await sleep(2000);
    const base = mem();
    let peak = base;
    for (let t = 5; t <= memorySeconds; t += 5) {
      await sleep(5000);
      const now = mem();
      peak = Math.max(peak, now);
      const s = timeline.summarize(timeline.startMs, Date.now() + 1000);
      console.log(`  ${t}s: ${s.total} requests, heap+buffers ${now.toFixed(1)} MB (growth ${(now - base).toFixed(1)} MB)`);
    }
    await d.stop();
    const total = timeline.summarize(timeline.startMs, Date.now() + 1000).total;
    console.log(`memory: ${total} requests in ${memorySeconds}s (${(total / memorySeconds).toFixed(0)} req/s), ${timeline.length} buckets, growth ${(peak - base).toFixed(1)} MB (goal < 50 MB)`);
  }
} finally {
  server.kill('SIGKILL');
}

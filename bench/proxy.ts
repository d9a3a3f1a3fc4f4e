/**
 * The embedded proxy's overhead, measured in one run against a baseline: throughput over a long stream and the
 * median of connect + one echo round trip, directly and through a proxy with no toxics. The upstream servers and
 * the proxy (`chaos proxy serve`) each run in their own process, as in real use; the client runs here.
 *
 *   npm run bench:proxy            (builds first)
 *   STREAM_MB=500 ROUNDS=5000 npm run bench:proxy
 *
 * Goal: at least 50 % of direct throughput, at most 250 µs added to the connect + echo median.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Toxiproxy } from 'toxiproxy-node-client';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STREAM_BYTES = Number(process.env.STREAM_MB ?? 300) * 1_000_000;
const ROUNDS = Number(process.env.ROUNDS ?? 2_000);
const REPEATS = 3;

// A stream server (sends STREAM_BYTES to each client, then closes) and an echo server, on loopback.
const UPSTREAMS = `
const net = require('node:net');
const block = Buffer.alloc(64 * 1024, 7);
const total = Number(process.argv[1]);
const stream = net.createServer((s) => {
  let sent = 0;
  const pump = () => {
    while (sent < total) {
      sent += block.length;
      if (!s.write(block)) return s.once('drain', pump);
    }
    s.end();
  };
  s.on('error', () => {});
  pump();
});
const echo = net.createServer((s) => { s.on('error', () => {}); s.pipe(s); });
stream.listen(0, '127.0.0.1', () => echo.listen(0, '127.0.0.1', () =>
  console.log(JSON.stringify({ stream: stream.address().port, echo: echo.address().port }))));
`;

function firstLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      text += d;
      const match = pattern.exec(text);
      if (match) resolve(match);
    });
    child.once('exit', (code) => reject(new Error(`child exited with ${code}: ${text}`)));
  });
}

/** MB/s reading one long stream from port. */
function throughput(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let received = 0;
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('data', (d: Buffer) => (received += d.length));
    socket.on('error', reject);
    socket.on('close', () => {
      if (received < STREAM_BYTES) reject(new Error(`stream ended after ${received} bytes`));
      else resolve(received / 1e6 / ((performance.now() - started) / 1000));
    });
  });
}

/** Median µs of connect + write 32 bytes + read the echo + close, over ROUNDS sequential connections. */
async function connectEcho(port: number): Promise<number> {
  const message = Buffer.alloc(32, 1);
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    samples.push(
      await new Promise<number>((resolve, reject) => {
        const started = performance.now();
        const socket = connect({ host: '127.0.0.1', port, noDelay: true }, () => socket.write(message));
        let got = 0;
        socket.on('data', (d: Buffer) => {
          got += d.length;
          if (got >= message.length) {
            const took = performance.now() - started;
            socket.destroy();
            resolve(took * 1000);
          }
        });
        socket.on('error', reject);
      }),
    );
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

const best = (values: number[]) => Math.max(...values);
const lowest = (values: number[]) => Math.min(...values);

async function main(): Promise<void> {
  const upstreams = spawn(process.execPath, ['-e', UPSTREAMS, String(STREAM_BYTES)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const proxyServer = spawn(process.execPath, [join(ROOT, 'dist/bin.js'), 'proxy', 'serve', '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  try {
    const ports = JSON.parse((await firstLine(upstreams, /^(\{.*\})\n/m))[1]!) as { stream: number; echo: number };
    const url = (await firstLine(proxyServer, /listening on (http:\/\/\S+)/))[1]!;
    const toxiproxy = new Toxiproxy(url);
    const viaStream = await toxiproxy.createProxy({ name: 'stream', listen: '127.0.0.1:0', upstream: `127.0.0.1:${ports.stream}` });
    const viaEcho = await toxiproxy.createProxy({ name: 'echo', listen: '127.0.0.1:0', upstream: `127.0.0.1:${ports.echo}` });
    const portOf = (listen: string) => Number(listen.split(':').at(-1));

    // Alternate direct and proxied runs so a slow moment of the machine hits both alike; keep the best of each.
    const direct = { mbps: [] as number[], us: [] as number[] };
    const proxied = { mbps: [] as number[], us: [] as number[] };
    await connectEcho(ports.echo); // warm-up
    await connectEcho(portOf(viaEcho.listen));
    for (let i = 0; i < REPEATS; i++) {
      direct.mbps.push(await throughput(ports.stream));
      proxied.mbps.push(await throughput(portOf(viaStream.listen)));
      direct.us.push(await connectEcho(ports.echo));
      proxied.us.push(await connectEcho(portOf(viaEcho.listen)));
    }
    const mbDirect = best(direct.mbps);
    const mbProxied = best(proxied.mbps);
    const usDirect = lowest(direct.us);
    const usProxied = lowest(proxied.us);
    const f = (n: number) => n.toFixed(1);
    console.log(`stream of ${STREAM_BYTES / 1e6} MB, best of ${REPEATS}; connect + 32-byte echo, median of ${ROUNDS}, best of ${REPEATS}`);
    console.log(`throughput   direct ${f(mbDirect)} MB/s   proxied ${f(mbProxied)} MB/s   ratio ${(mbProxied / mbDirect).toFixed(2)} (goal ≥ 0.50)`);
    console.log(`connect+echo direct ${f(usDirect)} µs   proxied ${f(usProxied)} µs   added ${f(usProxied - usDirect)} µs (goal ≤ 250 µs)`);
  } finally {
    upstreams.kill('SIGTERM');
    proxyServer.kill('SIGTERM');
  }
}

await main();

/**
 * The embedded proxy against the real Toxiproxy 2.12 and against direct connections, in one run: throughput over a
 * long stream, the median of connect + one 32-byte echo, and the accuracy of a latency toxic. The upstreams, the
 * embedded proxy (`chaos proxy serve`) and the real server each run in their own process; the client runs here.
 *
 *   npm run bench:proxy                         (builds first)
 *   ROUNDS=9 STREAM_MB=300 CONNECTIONS=1500 npm run bench:proxy
 *
 * The targets are measured interleaved, round by round (direct, real, embedded, then real, embedded, direct, ...),
 * so a busy moment of the machine hits all alike; each ratio is taken within a round and the median over rounds is
 * reported, with the spread (min..max). Connect + echo is measured twice per round: back to back (each target's
 * connections in a row: the goal's figure) and taking turns connection by connection, in every order, with a
 * pause after each connection (proxy-measure.ts says why; printed beside it). The real server's log goes to a file
 * in a temporary directory, not through a pipe into this process, which is the client that measures. Goals:
 * throughput ≥ 1.2× the real Toxiproxy's and ≥ 0.6× direct; added connect + echo ≤ 0.8× the real Toxiproxy's; a
 * 50 ms latency toxic adds 50 ± 1 ms at the median.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Toxiproxy } from 'toxiproxy-node-client';
import { findRealToxiproxy, startRealToxiproxy, type ServerUnderTest } from '../test/conformance/toxiproxy/support/servers.js';
import { connectEcho, echoRoundTrips, median, streamThroughput } from './proxy-measure.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Math.max(5, Number(process.env.ROUNDS ?? 7));
const STREAM_BYTES = Number(process.env.STREAM_MB ?? 200) * 1_000_000;
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 1000);
const LATENCY_MS = 50;
/** Quiet after each connection when the targets take turns. */
const SETTLE_MS = 1;

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
const echo = net.createServer((s) => { s.setNoDelay(true); s.on('error', () => {}); s.pipe(s); });
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

interface Target {
  name: 'direct' | 'real' | 'embedded';
  stream: number;
  echo: number;
  /** Echo through a proxy with a 50 ms downstream latency toxic (none for direct). */
  latency?: number;
}

async function proxiesOn(url: string, upstreams: { stream: number; echo: number }, name: Target['name']): Promise<Target> {
  const api = new Toxiproxy(url);
  const portOf = (listen: string) => Number(listen.slice(listen.lastIndexOf(':') + 1));
  const stream = await api.createProxy({ name: 'stream', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreams.stream}` });
  const echo = await api.createProxy({ name: 'echo', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreams.echo}` });
  const slow = await api.createProxy({ name: 'slow', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreams.echo}` });
  await slow.addToxic({ name: 'latency', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: LATENCY_MS, jitter: 0 } });
  return { name, stream: portOf(stream.listen), echo: portOf(echo.listen), latency: portOf(slow.listen) };
}

interface Round {
  mbps: Record<string, number>;
  /** connect + echo µs, back to back (the goal's figure) and taking turns connection by connection. */
  us: Record<string, number>;
  usTurns: Record<string, number>;
  latencyMs: Record<string, number>;
}

const spread = (values: number[], digits = 2) => `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}..${Math.max(...values).toFixed(digits)})`;
const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const binary = findRealToxiproxy();
  const upstreamProcess = spawn(process.execPath, ['-e', UPSTREAMS, String(STREAM_BYTES)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const embeddedProcess = spawn(process.execPath, [join(ROOT, 'dist/bin.js'), 'proxy', 'serve', '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let real: ServerUnderTest | null = null;
  const logDir = mkdtempSync(join(tmpdir(), 'bench-proxy-'));
  try {
    const upstreams = JSON.parse((await firstLine(upstreamProcess, /^(\{.*\})\n/m))[1]!) as { stream: number; echo: number };
    const embeddedUrl = (await firstLine(embeddedProcess, /listening on (http:\/\/\S+)/))[1]!;
    const targets: Target[] = [{ name: 'direct', stream: upstreams.stream, echo: upstreams.echo }];
    if (binary === null) console.log('real Toxiproxy not found (set TOXIPROXY_SERVER or put it at ../shared/tools): comparing with direct only');
    else {
      real = await startRealToxiproxy(binary, { logFile: join(logDir, 'toxiproxy.log') });
      targets.push(await proxiesOn(real.url, upstreams, 'real'));
    }
    targets.push(await proxiesOn(embeddedUrl, upstreams, 'embedded'));

    console.log(`load average at start: ${load()}`);
    console.log(`${ROUNDS} rounds of: ${targets.map((t) => t.name).join(', ')} (interleaved); stream ${STREAM_BYTES / 1e6} MB; connect + 32-byte echo × ${CONNECTIONS} (back to back, then taking turns with ${SETTLE_MS} ms between connections); latency toxic ${LATENCY_MS} ms × 30 echoes`);
    await connectEcho(targets.map((t) => t.echo), 100, null); // warm-up
    const rounds: Round[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const round: Round = { mbps: {}, us: {}, usTurns: {}, latencyMs: {} };
      // Each round starts with the next target, so that none is always measured first, or always after the same one.
      const order = targets.map((_, k) => targets[(k + r) % targets.length]!);
      const mbps = new Map<Target, number>();
      for (const target of order) mbps.set(target, await streamThroughput(target.stream, STREAM_BYTES));
      const us = await connectEcho(order.map((t) => t.echo), CONNECTIONS, null);
      const usTurns = await connectEcho(order.map((t) => t.echo), CONNECTIONS, SETTLE_MS);
      for (const target of targets) {
        const k = order.indexOf(target);
        round.mbps[target.name] = mbps.get(target)!;
        round.us[target.name] = us[k]!;
        round.usTurns[target.name] = usTurns[k]!;
      }
      for (const target of targets) {
        // The toxic's own accuracy: round trips through it, less round trips through the same server without it.
        if (target.latency !== undefined) round.latencyMs[target.name] = median(await echoRoundTrips(target.latency, 30)) - median(await echoRoundTrips(target.echo, 30));
      }
      rounds.push(round);
      const f = (o: Record<string, number>, d: number) => Object.entries(o).map(([k, v]) => `${k} ${v.toFixed(d)}`).join(', ');
      console.log(`round ${r + 1}: MB/s ${f(round.mbps, 0)} | connect+echo µs ${f(round.us, 1)} (taking turns ${f(round.usTurns, 1)}) | latency toxic added ms ${f(round.latencyMs, 2)} | load ${load()}`);
    }
    report(rounds, targets.some((t) => t.name === 'real'));
    console.log(`load average at end: ${load()}`);
  } finally {
    upstreamProcess.kill('SIGTERM');
    embeddedProcess.kill('SIGTERM');
    await real?.close();
    rmSync(logDir, { recursive: true, force: true });
  }
}

function report(rounds: Round[], withReal: boolean): void {
  const per = (f: (r: Round) => number) => rounds.map(f);
  const added = (r: Round, name: string) => r.us[name]! - r.us.direct!;
  console.log('\nmedian (min..max) over rounds:');
  for (const name of Object.keys(rounds[0]!.mbps)) {
    console.log(
      `  ${name.padEnd(8)} throughput ${spread(per((r) => r.mbps[name]!), 0)} MB/s   connect+echo ${spread(per((r) => r.us[name]!), 1)} µs` +
        ` (taking turns ${spread(per((r) => r.usTurns[name]!), 1)} µs)`,
    );
  }
  const goals: [string, string, boolean][] = [];
  const toDirect = per((r) => r.mbps.embedded! / r.mbps.direct!);
  goals.push(['throughput embedded / direct', spread(toDirect), median(toDirect) >= 0.6]);
  const toxic = per((r) => r.latencyMs.embedded!);
  if (withReal) {
    const toReal = per((r) => r.mbps.embedded! / r.mbps.real!);
    goals.unshift(['throughput embedded / real', spread(toReal), median(toReal) >= 1.2]);
    const addedRatio = per((r) => added(r, 'embedded') / added(r, 'real'));
    goals.push(['added connect+echo embedded / real', `${spread(addedRatio)}; added µs embedded ${spread(per((r) => added(r, 'embedded')), 1)}, real ${spread(per((r) => added(r, 'real')), 1)}`, median(addedRatio) <= 0.8]);
    console.log(`  latency toxic ${LATENCY_MS} ms on the real Toxiproxy: added ${spread(per((r) => r.latencyMs.real!))} ms`);
    const turns = per((r) => (r.usTurns.embedded! - r.usTurns.direct!) / (r.usTurns.real! - r.usTurns.direct!));
    console.log(`  added connect+echo embedded / real, taking turns connection by connection: ${spread(turns)}`);
  }
  goals.push([`latency toxic ${LATENCY_MS} ms, added at the median (ms)`, spread(toxic), Math.abs(median(toxic) - LATENCY_MS) <= 1]);
  const goal: Record<string, string> = {
    'throughput embedded / real': '≥ 1.20',
    'throughput embedded / direct': '≥ 0.60',
    'added connect+echo embedded / real': '≤ 0.80',
  };
  console.log('\ngoals (each ratio taken within a round; median over rounds):');
  for (const [name, value, met] of goals) console.log(`  ${met ? 'met    ' : 'NOT MET'} ${name}: ${value} (goal ${goal[name] ?? `${LATENCY_MS} ± 1`})`);
}

await main();

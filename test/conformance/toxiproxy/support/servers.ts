/**
 * The two servers the conformance suite compares: the real Toxiproxy 2.12 server (a binary, found where the
 * repository's CI keeps it) and the embedded one, each on 127.0.0.1 with a port from the OS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startToxiproxyServer } from '../../../../src/proxy/server.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * The real server: $TOXIPROXY_SERVER, else `shared/tools/toxiproxy-server` beside the repository (CI lays `shared/`
 * next to the clone; a worktree sits one level deeper). Null when there is none: the suite is then skipped.
 */
export function findRealToxiproxy(): string | null {
  const candidates = [
    process.env.TOXIPROXY_SERVER,
    join(REPO, '../shared/tools/toxiproxy-server'),
    join(REPO, '../../shared/tools/toxiproxy-server'),
  ];
  return candidates.find((path): path is string => path !== undefined && path !== '' && existsSync(path)) ?? null;
}

export interface ServerUnderTest {
  kind: 'real' | 'embedded';
  url: string;
  /** False once the process died (the real server panics on some inputs). */
  alive(): boolean;
  /** What the real server wrote to stderr (its log, and a Go panic if it crashed). */
  log(): string;
  close(): Promise<void>;
}

/** A port that was free a moment ago (the real server cannot be asked for port 0 and tell which it got). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
  });
}

/**
 * `logFile`: the server's log (it writes several lines per proxied connection) goes to that file instead of a pipe
 * into this process, so that a benchmark's client, which runs here, does not read it while it measures.
 */
export async function startRealToxiproxy(binary: string, options: { logFile?: string } = {}): Promise<ServerUnderTest> {
  // Another process may take the port between the probe and the bind: try a few ports.
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const logFd = options.logFile === undefined ? null : openSync(options.logFile, 'a');
    const child = spawn(binary, ['-host', '127.0.0.1', '-port', String(port)], { stdio: ['ignore', 'ignore', logFd ?? 'pipe'] });
    let piped = '';
    if (logFd !== null) closeSync(logFd);
    else child.stderr!.setEncoding('utf8').on('data', (d: string) => (piped = (piped + d).slice(-200_000)));
    const log = () => (options.logFile === undefined ? piped : fileTail(options.logFile, 200_000));
    const url = `http://127.0.0.1:${port}`;
    if (await answers(url, child)) {
      return {
        kind: 'real',
        url,
        alive: () => child.exitCode === null && child.signalCode === null,
        log,
        close: () => stopChild(child),
      };
    }
    await stopChild(child);
    if (attempt === 4) throw new Error(`the real Toxiproxy did not start on 127.0.0.1:${port}: ${log().slice(-2000)}`);
  }
}

function fileTail(path: string, bytes: number): string {
  const fd = openSync(path, 'r');
  try {
    const start = Math.max(0, fstatSync(fd).size - bytes);
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, start)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

async function answers(url: string, child: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      if ((await fetch(`${url}/version`)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

export async function startEmbeddedToxiproxy(): Promise<ServerUnderTest> {
  const server = await startToxiproxyServer({ host: '127.0.0.1', port: 0 });
  return { kind: 'embedded', url: server.url, alive: () => true, log: () => '', close: () => server.close() };
}

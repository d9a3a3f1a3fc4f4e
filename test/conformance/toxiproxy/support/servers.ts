/**
 * The two servers the conformance suite compares: the real Toxiproxy 2.12 server (a binary, found where the
 * repository's CI keeps it) and the embedded one, each on 127.0.0.1 with a port from the OS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
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

export async function startRealToxiproxy(binary: string): Promise<ServerUnderTest> {
  // Another process may take the port between the probe and the bind: try a few ports.
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child = spawn(binary, ['-host', '127.0.0.1', '-port', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (log = (log + d).slice(-200_000)));
    const url = `http://127.0.0.1:${port}`;
    if (await answers(url, child)) {
      return {
        kind: 'real',
        url,
        alive: () => child.exitCode === null && child.signalCode === null,
        log: () => log,
        close: () => stopChild(child),
      };
    }
    await stopChild(child);
    if (attempt === 4) throw new Error(`the real Toxiproxy did not start on 127.0.0.1:${port}: ${log.slice(-2000)}`);
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

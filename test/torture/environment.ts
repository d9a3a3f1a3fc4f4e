/**
 * The real systems the torture trials fault, started once and shared by all trials: the real Toxiproxy server
 * (skipped, with the reason, where its binary is absent), the fake Kubernetes API server, a real PostgreSQL
 * cluster (skipped where its programs are absent), and a TCP echo server as an upstream. Each trial works on its
 * own part of them (its own proxy, namespace, table), named after the trial.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPgProgram } from '../../src/os/postgres/binaries.js';
import { freeLoopbackPort, type LabPair } from '../../src/lab/postgres/lab-pair.js';
import { writeKubeconfig } from '../support/fake-kube/kubeconfig.js';
import { startFakeKube, type FakeKube } from '../support/fake-kube/server.js';
import { PostgresClusters } from '../support/postgres-cluster.js';
import { ROOT } from '../support/cli.js';

/** Where the real Toxiproxy 2.12 server is looked for: $TOXIPROXY_SERVER, then ../shared/tools from the checkout
 * (or from a worktree under wt/). */
export function toxiproxyServerCandidates(): string[] {
  const env = process.env['TOXIPROXY_SERVER'];
  return [...(env ? [env] : []), join(ROOT, '..', 'shared', 'tools', 'toxiproxy-server'), join(ROOT, '..', '..', 'shared', 'tools', 'toxiproxy-server')];
}

export interface TortureEnvironment {
  /** The harness's own directory (kubeconfig, postgres). */
  dir: string;
  echo: { host: string; port: number };
  toxiproxy: { url: string } | { unavailable: string };
  kube: { server: FakeKube; kubeconfig: string };
  postgres: { pair: LabPair } | { unavailable: string };
  stop(): Promise<void>;
}

export async function startEnvironment(log: (line: string) => void): Promise<TortureEnvironment> {
  const dir = await mkdtemp(join(tmpdir(), 'chaos-torture-env-'));
  const echo = await startEcho();
  const toxiproxy = await startToxiproxy(log);
  const server = await startFakeKube({ namespaces: [], podReadyDelayMs: 50, recreateDelayMs: 100, nodes: ['node-1', 'node-2'] });
  const kubeconfig = await writeKubeconfig(dir, server.url);
  const clusters = new PostgresClusters();
  const postgres = await startPostgres(clusters, log);
  return {
    dir,
    echo: echo.address,
    toxiproxy: 'process' in toxiproxy ? { url: toxiproxy.url } : toxiproxy,
    kube: { server, kubeconfig },
    postgres,
    async stop() {
      if ('process' in toxiproxy) await stopChild(toxiproxy.process);
      await server.close();
      await clusters.stopAll().catch((error: unknown) => log(`warning: ${String(error)}`));
      await new Promise<void>((resolve) => echo.server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function startEcho(): Promise<{ server: Server; address: { host: string; port: number } }> {
  const server = createServer((socket) => socket.on('error', () => undefined).pipe(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, address: { host: '127.0.0.1', port: (server.address() as { port: number }).port } };
}

async function startToxiproxy(log: (line: string) => void): Promise<{ url: string; process: ChildProcess } | { unavailable: string }> {
  const candidates = toxiproxyServerCandidates();
  let binary: string | null = null;
  for (const candidate of candidates) {
    if (await access(candidate).then(() => true, () => false)) {
      binary = candidate;
      break;
    }
  }
  if (binary === null) {
    const unavailable = `the real Toxiproxy server is in none of ${candidates.join(', ')}: the Toxiproxy trials are skipped`;
    log(unavailable);
    return { unavailable };
  }
  const port = await freeLoopbackPort();
  const child = spawn(binary, ['-host', '127.0.0.1', '-port', String(port)], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/version`)).ok) return { url, process: child };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      await stopChild(child);
      throw new Error(`the Toxiproxy server did not answer at ${url}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function startPostgres(clusters: PostgresClusters, log: (line: string) => void): Promise<{ pair: LabPair } | { unavailable: string }> {
  try {
    findPgProgram('initdb', undefined);
  } catch (error) {
    const unavailable = `PostgreSQL's programs are not installed (${(error as Error).message}): the PostgreSQL trials are skipped`;
    log(unavailable);
    return { unavailable };
  }
  return { pair: await clusters.start({ orders: 10 }) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await gone;
}

/**
 * The real Prometheus and Pushgateway (Debian packages) started on free loopback ports in temp dirs, with a config
 * the test writes; stopped by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface RunningServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** A port that was free a moment ago (the binaries take a port number, not 0). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

async function startBinary(binary: string, args: string[], readyUrl: string, log: string[]): Promise<ChildProcess> {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => log.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${binary} exited (${child.exitCode}): ${log.join('').slice(-2000)}`);
    const ok = await fetch(readyUrl).then((r) => r.ok, () => false);
    if (ok) return child;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${binary} not ready within 20 s: ${log.join('').slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const gone = new Promise((r) => child.once('exit', r));
    process.kill(child.pid, 'SIGTERM');
    const timer = setTimeout(() => child.pid !== undefined && process.kill(child.pid, 'SIGKILL'), 5_000);
    await gone;
    clearTimeout(timer);
  };
}

export async function startPushgateway(dir: string): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = await startBinary('prometheus-pushgateway', [`--web.listen-address=127.0.0.1:${port}`, `--persistence.file=${join(dir, 'pushgateway.db')}`], `${url}/-/ready`, []);
  return { url, child, stop: stopper(child) };
}

/** Prometheus scraping `targets` (host:port, path /metrics) every `scrapeInterval`. */
export async function startPrometheus(dir: string, targets: string[], scrapeInterval = '1s'): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = join(dir, 'prometheus.yml');
  await writeFile(
    config,
    `global: { scrape_interval: ${scrapeInterval}, evaluation_interval: ${scrapeInterval} }\nscrape_configs:\n  - job_name: test\n    static_configs:\n      - targets: ${JSON.stringify(targets)}\n`,
  );
  const child = await startBinary(
    'prometheus',
    [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`],
    `${url}/-/ready`,
    [],
  );
  return { url, child, stop: stopper(child) };
}

/**
 * Running the built `chaos` binary (dist/bin.js) as a real process, and starting real services for it to fault.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processState } from '../../src/os/process-identity.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CHAOS_BIN = join(ROOT, 'dist', 'bin.js');

export interface ChaosOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningChaos {
  child: ChildProcess;
  exited: Promise<ChaosOutcome>;
  stdout(): string;
  stderr(): string;
}

const running = new Set<RunningChaos>();

/**
 * Stops every runner a test started and that is still going: SIGTERM (so it reverts and stops what it started),
 * then SIGKILL after 10 s. Call it in afterEach so a failing test leaves nothing behind.
 */
export async function stopAllChaos(): Promise<void> {
  for (const runner of [...running]) {
    if (runner.child.exitCode === null && runner.child.signalCode === null) {
      runner.child.kill('SIGTERM');
      const timer = setTimeout(() => runner.child.kill('SIGKILL'), 10_000);
      await runner.exited;
      clearTimeout(timer);
    }
    running.delete(runner);
  }
}

/** Starts `node dist/bin.js ...args` in `cwd`; bounded by `timeoutMs` (SIGTERM past it, SIGKILL 10 s later). */
export function startChaos(args: string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): RunningChaos {
  const child = spawn(process.execPath, [CHAOS_BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let killTimer: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    child.kill('SIGTERM');
    killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  }, options.timeoutMs ?? 60_000);
  const exited = new Promise<ChaosOutcome>((resolveExit) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      resolveExit({ code, signal, stdout, stderr });
    });
  });
  const runner: RunningChaos = { child, exited, stdout: () => stdout, stderr: () => stderr };
  running.add(runner);
  void exited.then(() => running.delete(runner));
  return runner;
}

export function runChaos(args: string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<ChaosOutcome> {
  return startChaos(args, options).exited;
}

/** Polls `check` every 50 ms until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface TestService {
  pid: number;
  port: number;
  url: string;
  pidFile: string;
  /** Process state letter from /proc: S/R running, T stopped, null gone. */
  state(): string | null;
  requests(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts test/support/fixtures/service.mjs: a real HTTP server in its own process. */
export async function startService(dir: string): Promise<TestService> {
  const pidFile = join(dir, `service-${Date.now()}-${Math.random().toString(16).slice(2)}.pid`);
  const child = spawn(process.execPath, [join(ROOT, 'test/support/fixtures/service.mjs')], {
    env: { ...process.env, PID_FILE: pidFile },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((res, rej) => {
    let buf = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      if (buf.includes('\n')) res(buf.split('\n')[0]!);
    });
    child.on('exit', () => rej(new Error('test service exited before listening')));
  });
  const { port, pid } = JSON.parse(first) as { port: number; pid: number };
  const url = `http://127.0.0.1:${port}`;
  return {
    pid,
    port,
    url,
    pidFile,
    state: () => processState(pid),
    requests: async () => ((await (await fetch(`${url}/count`)).json()) as { count: number }).count,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      try {
        process.kill(pid, 'SIGCONT');
        process.kill(pid, 'SIGKILL');
      } catch {
        return;
      }
      await gone;
    },
  };
}

export async function tempDir(prefix = 'chaosdrill-'): Promise<{ path: string; cleanup(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

export async function writeExperiment(dir: string, name: string, yaml: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, yaml);
  return file;
}

export interface JournalDoc {
  format: string;
  entries: Array<{ seq: number; kind: string; data: any; hash: string; prev: string }>;
}

export async function readJournalDoc(path: string): Promise<JournalDoc> {
  return JSON.parse(await readFile(path, 'utf8')) as JournalDoc;
}

/** The journal.json path a `chaos run -o <dir>` writes. */
export function journalIn(runDir: string): string {
  return join(runDir, 'journal.json');
}

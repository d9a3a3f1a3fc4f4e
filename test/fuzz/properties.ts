/**
 * What must hold for any file, however broken:
 * - `chaos validate` ends with exit 0 or 2, never a stack trace or "internal error", within 1 s;
 * - `chaos run` on a file that does not validate exits 2 and contacts nothing: no socket, no process, no state
 *   directory, no run folder.
 * In-process through the CLI entry with injected IO (contacts are seen on Node's diagnostics channels, attributed
 * to the case by AsyncLocalStorage so that nothing else in the process is mistaken for it), and through the real
 * binary with a preloaded guard (contact-guard.mjs) that records the same channels to a file.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { spawn } from 'node:child_process';
import dc from 'node:diagnostics_channel';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { CHAOS_BIN } from '../support/cli.js';

/** The validate budget per file (in-process; the binary adds Node's start-up, see BINARY_BUDGET_MS). */
export const VALIDATE_BUDGET_MS = 1_000;
/**
 * Through the binary the time is mostly Node starting and importing chaosdrill: `chaos --version` alone takes
 * 2 to 4 s on a 2-core machine shared with other test runs. The binary's budget only catches a hang; the 1 s per
 * file is checked in-process.
 */
export const BINARY_BUDGET_MS = 20_000;

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall-clock time. */
  ms: number;
  /**
   * In-process only: the CPU time the process spent (user + system). The budget is checked on it, because on a
   * machine shared with other test runs wall-clock time measures the neighbours as much as the file; a file that
   * is really slow to validate burns CPU.
   */
  cpuMs?: number;
  contacts: string[];
}

const STACK_LINE = /^\s+at .+(:\d+:\d+\)?|\(native\)|\(<anonymous>\))$/m;

/** Why an outcome breaks the properties, or null. */
export function violation(outcome: Outcome, command: 'validate' | 'run', budgetMs: number): string | null {
  const output = `${outcome.stdout}\n${outcome.stderr}`;
  if (command === 'validate' && outcome.code !== 0 && outcome.code !== 2) return `validate exited ${outcome.code}`;
  if (command === 'run' && outcome.code !== 2) return `run of a file that does not validate exited ${outcome.code}`;
  if (/internal error/i.test(output)) return 'an "internal error"';
  if (STACK_LINE.test(output)) return 'a stack trace';
  const spent = outcome.cpuMs ?? outcome.ms;
  if (spent > budgetMs) return `${command} took ${spent} ms${outcome.cpuMs === undefined ? '' : ' of CPU'} (budget ${budgetMs} ms)`;
  if (outcome.contacts.length > 0) return `contacted: ${outcome.contacts.join(', ')}`;
  return null;
}

/** Sockets opened and processes spawned by the code running inside `watch`, wherever they happen. */
export class ContactGuard {
  readonly #case = new AsyncLocalStorage<string[]>();
  readonly #onSocket = (message: unknown) => this.#case.getStore()?.push(`socket ${describeSocket(message)}`);
  readonly #onSpawn = (message: unknown) => this.#case.getStore()?.push(`process ${String((message as { process?: { spawnfile?: string } }).process?.spawnfile ?? '?')}`);

  constructor() {
    dc.subscribe('net.client.socket', this.#onSocket);
    dc.subscribe('child_process', this.#onSpawn);
  }

  async watch<T>(work: () => Promise<T>): Promise<{ value: T; contacts: string[] }> {
    const contacts: string[] = [];
    const value = await this.#case.run(contacts, work);
    return { value, contacts };
  }

  close(): void {
    dc.unsubscribe('net.client.socket', this.#onSocket);
    dc.unsubscribe('child_process', this.#onSpawn);
  }
}

function describeSocket(message: unknown): string {
  const socket = (message as { socket?: { remoteAddress?: string; remotePort?: number } }).socket;
  return socket?.remotePort ? `${socket.remoteAddress}:${socket.remotePort}` : '(connecting)';
}

/** `chaos <argv>` in-process in `cwd`, with an empty environment. */
export async function chaosInProcess(guard: ContactGuard, argv: string[], cwd: string): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    argv,
    env: {},
    cwd,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    signal: new AbortController().signal,
    user: 'fuzz',
    host: 'fuzz',
    pid: process.pid,
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  const { value: code, contacts } = await guard.watch(() => main(io));
  const used = process.cpuUsage(cpu);
  return { code, stdout, stderr, ms: Math.round(performance.now() - started), cpuMs: Math.round((used.user + used.system) / 1000), contacts };
}

const CONTACT_GUARD = pathToFileURL(join(import.meta.dirname, 'contact-guard.mjs')).href;

/** `chaos <argv>` as a real process, with the contact guard preloaded; contacts come from the guard's file. */
export async function chaosBinary(argv: string[], cwd: string, contactsFile: string): Promise<Outcome> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', CONTACT_GUARD, CHAOS_BIN, ...argv], {
    cwd,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', CHAOS_FUZZ_CONTACTS: contactsFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  // Bounded: a hung validate is a finding, not a hung fuzzer.
  const killer = setTimeout(() => child.kill('SIGKILL'), BINARY_BUDGET_MS * 4);
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  clearTimeout(killer);
  const ms = Math.round(performance.now() - started);
  const contacts = (await readFile(contactsFile, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  return { code, stdout, stderr, ms, contacts };
}

/** A fresh directory for one `chaos run`, and whether the run left a state directory or a run folder in it. */
export async function runFolder(root: string, n: number): Promise<{ dir: string; leftovers(): Promise<string[]> }> {
  const dir = join(root, 'runs', String(n));
  await mkdir(dir, { recursive: true });
  return {
    dir,
    leftovers: async () => {
      const left: string[] = [];
      for (const name of ['state', 'run', 'reports', '.chaos']) if (await stat(join(dir, name)).catch(() => null)) left.push(name);
      return left;
    },
  };
}

/**
 * Runs a command with an argument array (a shell only with `shell: true`), with a timeout and the activity's abort
 * signal, capturing a bounded amount of output, and checks it against `expect`.
 */
import { spawn } from 'node:child_process';
import type { JsonObject } from '../../json.js';
import type { ProbeOutcome } from '../api.js';
import { formatDuration } from '../../units/duration.js';
import { checkTolerance } from '../shared/tolerance.js';
import type { Tolerance } from '../../units/tolerance-schema.js';
import type { CommandParams } from './params.js';
import { errnoCode } from '../../errors.js';

/** What is kept of stdout/stderr in the output (the journal). */
const OUTPUT_BYTES = 4 * 1024;
/** What is kept for the checks; a chatty command keeps running, its extra output is dropped. */
const CAPTURED_BYTES = 1024 * 1024;
/** After SIGTERM on timeout or abort, how long before SIGKILL. */
const KILL_GRACE_MS = 2_000;

export interface CommandResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Why the command did not finish on its own: "timed out after 30s", "aborted", "cannot start: …". */
  failure: string | null;
}

export async function runCommand(params: CommandParams, signal: AbortSignal): Promise<CommandResult> {
  const [file, args] =
    typeof params.run === 'string' ? ['/bin/sh', ['-c', params.run]] : [params.run[0], params.run.slice(1)];
  const started = performance.now();
  const stdout = new Capture();
  const stderr = new Capture();
  let failure: string | null = null;
  const child = spawn(file, args, {
    cwd: params.cwd,
    env: params.env === undefined ? process.env : { ...process.env, ...params.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => stdout.add(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.add(chunk));

  let killTimer: NodeJS.Timeout | undefined;
  const terminate = (why: string) => {
    if (failure !== null || child.exitCode !== null || child.signalCode !== null) return;
    failure = why;
    child.kill('SIGTERM');
    killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
  };
  const timer = setTimeout(() => terminate(`timed out after ${formatDuration(params.timeout)}`), params.timeout);
  const onAbort = () => terminate('aborted');
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) onAbort();

  const { exitCode, signalName } = await new Promise<{ exitCode: number | null; signalName: string | null }>(
    (resolve) => {
      child.once('error', (err) => {
        failure = `cannot start ${file}: ${errnoCode(err) ?? err.message}`;
        resolve({ exitCode: null, signalName: null });
      });
      // 'close', not 'exit': all output has been read by then.
      child.once('close', (code, sig) => resolve({ exitCode: code, signalName: sig }));
    },
  );
  clearTimeout(timer);
  clearTimeout(killTimer);
  signal.removeEventListener('abort', onAbort);
  return {
    exitCode,
    signal: signalName,
    stdout: stdout.text(),
    stderr: stderr.text(),
    durationMs: Math.round(performance.now() - started),
    failure,
  };
}

/** The verdict of a finished command against `expect` (exit code 0 by default). */
export function judgeCommand(params: CommandParams, result: CommandResult): ProbeOutcome {
  const output: JsonObject = {
    exitCode: result.exitCode,
    signal: result.signal,
    stdout: truncate(result.stdout),
    stderr: truncate(result.stderr),
    durationMs: result.durationMs,
  };
  const name = typeof params.run === 'string' ? params.run : params.run.join(' ');
  if (result.failure !== null) return { ok: false, message: `${name}: ${result.failure}`, output };
  const expect = params.expect ?? {};
  const failures: string[] = [];
  const found = result.exitCode === null ? `killed by ${result.signal}` : null;
  const exit = checkTolerance(expect.exitCode ?? 0, result.exitCode);
  if (!exit.ok) failures.push(found ?? `exit code ${exit.message}`);
  const streams: Array<['stdout' | 'stderr', Tolerance | undefined]> = [
    ['stdout', expect.stdout],
    ['stderr', expect.stderr],
  ];
  for (const [stream, tolerance] of streams) {
    if (tolerance === undefined) continue;
    const check = checkTolerance(tolerance, withoutFinalNewline(result[stream]));
    if (!check.ok) failures.push(`${stream} ${check.message}`);
  }
  if (failures.length > 0) {
    const hint = !exit.ok && result.stderr.trim() !== '' ? ` (stderr: ${lastLine(result.stderr)})` : '';
    return { ok: false, message: `${name}: ${failures.join('; ')}${hint}`, output };
  }
  return { ok: true, message: `${name}: exit code ${result.exitCode} in ${result.durationMs} ms`, output };
}

class Capture {
  readonly #chunks: Buffer[] = [];
  #size = 0;

  add(chunk: Buffer): void {
    if (this.#size >= CAPTURED_BYTES) return;
    this.#chunks.push(chunk);
    this.#size += chunk.byteLength;
  }

  text(): string {
    return Buffer.concat(this.#chunks).subarray(0, CAPTURED_BYTES).toString('utf8');
  }
}

function truncate(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.byteLength <= OUTPUT_BYTES) return text;
  return `${bytes.subarray(0, OUTPUT_BYTES).toString('utf8')}…[truncated ${bytes.byteLength - OUTPUT_BYTES} bytes]`;
}

function withoutFinalNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

function lastLine(text: string): string {
  const line = text.trim().split('\n').pop() ?? '';
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

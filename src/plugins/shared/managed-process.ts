/**
 * A process the run starts from a target's `command`, and stops when the run ends. Each process is recorded in the
 * ledger (resource type `process.managed`) before it is spawned, with a marker put in its environment, then with its
 * PID, so that `chaos recover` can stop it after the runner died, whenever that happened.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChaosError, ExitCode, messageOf } from '../../errors.js';
import { identifyProcess, isProcessAlive, type ProcessIdentity } from '../../os/process-identity.js';
import type { Logger, ResourceHandle, ResourceTracker } from '../api.js';
import { tryConnect } from './try-connect.js';
import { formatDuration } from '../../units/duration.js';
import { MARKER_VARIABLE } from './marked-processes.js';
import { stopProcess } from '../../os/stop-process.js';
import { managedProcessResourceSpec } from './managed-resource-spec.js';

/** How long a managed process may take to exit on SIGTERM before SIGKILL. */
export const STOP_GRACE_MS = 5_000;

export interface ManagedProcessOptions {
  command: readonly string[];
  cwd: string | undefined;
  env: Record<string, string> | undefined;
  ready: { port: number; host: string; timeout: number } | undefined;
  /** stdout and stderr go here, appended across restarts. */
  logFile: string;
  resources: ResourceTracker;
  logger: Logger;
}

interface Running {
  identity: ProcessIdentity;
  child: ChildProcess;
  handle: ResourceHandle;
  exited: boolean;
}

export class ManagedProcess {
  #current: Running | null = null;

  readonly #options: ManagedProcessOptions;

  constructor(options: ManagedProcessOptions) {
    this.#options = options;
  }

  get description(): string {
    return this.#options.command.join(' ');
  }

  /** The identity of the started process while it is alive, else null. */
  runningIdentity(): ProcessIdentity | null {
    const current = this.#current;
    if (current === null || current.exited || !isProcessAlive(current.identity)) return null;
    return current.identity;
  }

  /** The most recently started process, alive or not. */
  lastIdentity(): ProcessIdentity | null {
    return this.#current?.identity ?? null;
  }

  /** Starts the process unless it is running; waits until it is ready. */
  async ensureRunning(signal: AbortSignal): Promise<ProcessIdentity> {
    return this.runningIdentity() ?? this.start(signal);
  }

  /** Starts the command and, with `ready`, waits until it accepts TCP connections. */
  async start(signal: AbortSignal): Promise<ProcessIdentity> {
    if (this.runningIdentity() !== null) throw new Error(`${this.description} is already running`);
    await this.#releaseExited();
    const { command, cwd, env, logFile, resources, logger } = this.#options;
    const [file, ...args] = command as [string, ...string[]];
    // In the ledger before it exists: a crash between the spawn and recording its PID must not orphan it.
    const marker = randomUUID();
    const handle = await resources.intend(managedProcessResourceSpec.type, { marker, command: [...command] }, `start ${this.description}`);
    let child: ChildProcess;
    let log: FileHandle | undefined;
    try {
      log = await open(logFile, 'a');
      child = spawn(file, args, {
        cwd,
        env: { ...process.env, ...env, [MARKER_VARIABLE]: marker },
        stdio: ['ignore', log.fd, log.fd],
        // Its own process group: a terminal's Ctrl-C does not reach it before the reverts, and stopping the group
        // also stops what a wrapper script started.
        detached: true,
      });
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
    } catch (err) {
      await resources.released(handle);
      throw new ChaosError(`cannot start \`${this.description}\`: ${messageOf(err)}`, {
        code: 'E_PROCESS_START',
        exitCode: ExitCode.Infrastructure,
        hint: 'check the command and `cwd` of the process target',
        cause: err,
      });
    } finally {
      await log?.close();
    }
    const identity = identifyProcess(child.pid as number);
    const running: Running = { identity, child, handle, exited: false };
    child.once('exit', () => {
      running.exited = true;
    });
    try {
      await resources.acquired(handle, { marker, pid: identity.pid, startTime: identity.startTime, command: [...command] });
    } catch (err) {
      // The ledger cannot say where it is, so nobody could stop it after a crash: do not keep it.
      await stopProcess(identity, { graceMs: STOP_GRACE_MS, group: true }, logger);
      await resources.released(handle).catch(() => undefined);
      throw err;
    }
    this.#current = running;
    logger.info(`started ${this.description} (pid ${identity.pid}), output in ${logFile}`);
    if (this.#options.ready !== undefined) {
      try {
        await this.#waitReady(running, this.#options.ready, signal);
      } catch (err) {
        await this.stop();
        throw err;
      }
    }
    return identity;
  }

  /** Stops the process (SIGCONT, SIGTERM, grace, SIGKILL) and releases its ledger entry. Idempotent. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = STOP_GRACE_MS): Promise<void> {
    const current = this.#current;
    if (current === null) return;
    await stopProcess(current.identity, { signal, graceMs, group: true }, this.#options.logger);
    await this.#releaseExited();
  }

  /** Releases the ledger entry of a process that is gone (killed by a fault, or stopped). */
  async #releaseExited(): Promise<void> {
    const current = this.#current;
    if (current === null || isProcessAlive(current.identity)) return;
    this.#current = null;
    await this.#options.resources.released(current.handle);
  }

  async #waitReady(
    running: Running,
    ready: { port: number; host: string; timeout: number },
    signal: AbortSignal,
  ): Promise<void> {
    const deadline = Date.now() + ready.timeout;
    const where = `${ready.host}:${ready.port}`;
    for (;;) {
      signal.throwIfAborted();
      if (running.exited || !isProcessAlive(running.identity)) {
        throw new ChaosError(
          `\`${this.description}\` exited before it listened on ${where}${await this.#logTail()}`,
          { code: 'E_PROCESS_START', exitCode: ExitCode.Infrastructure, hint: `see ${this.#options.logFile}` },
        );
      }
      const attempt = await tryConnect(ready.host, ready.port, Math.min(1_000, ready.timeout), signal);
      if (attempt.open) return;
      if (Date.now() >= deadline) {
        throw new ChaosError(`\`${this.description}\` did not listen on ${where} within ${formatDuration(ready.timeout)}`, {
          code: 'E_PROCESS_NOT_READY',
          exitCode: ExitCode.Infrastructure,
          hint: `check ready.port, or raise ready.timeout; output is in ${this.#options.logFile}`,
        });
      }
      await sleep(50, undefined, { signal });
    }
  }

  async #logTail(): Promise<string> {
    try {
      const text = (await readFile(this.#options.logFile, 'utf8')).trim();
      const last = text.split('\n').slice(-3).join(' | ');
      return last === '' ? '' : `; last output: ${last.slice(-300)}`;
    } catch {
      return '';
    }
  }
}

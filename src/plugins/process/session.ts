/**
 * A connected process target: finds the process it points at (the managed child, a PID, or the PID in a pid file,
 * re-read on every use) and, for a managed command under purpose `run`, owns the child.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ChaosError, errnoCode, ExitCode } from '../../errors.js';
import { identifyProcess, isProcessAlive, type ProcessIdentity } from '../../os/process-identity.js';
import type { ConnectPurpose, Connection, PluginContext, TargetAttributes } from '../api.js';
import type { ProcessConfig } from './config.js';
import { ManagedProcess } from '../shared/managed-process.js';
import { commandLineOf, truncate } from '../../os/stop-process.js';

/** Where the target's process is right now. */
export type Located = { identity: ProcessIdentity } | { identity: null; reason: string };

export class ProcessSession {
  constructor(
    readonly targetName: string,
    readonly config: ProcessConfig,
    readonly purpose: ConnectPurpose,
    /** Set only for a `command` target connected with purpose `run`. */
    readonly managed: ManagedProcess | null,
  ) {}

  /** True for a `command` target, whose process the run starts (even under `plan`, where it is not started). */
  get isManagedTarget(): boolean {
    return this.config.command !== undefined;
  }

  /** Finds the process now (a pid file is read again each time). */
  async locate(): Promise<Located> {
    const { config } = this;
    if (config.command !== undefined) {
      if (this.managed === null) return { identity: null, reason: `not started (connected for ${this.purpose})` };
      const identity = this.managed.runningIdentity();
      return identity ? { identity } : { identity: null, reason: 'the started process is not running' };
    }
    if (config.pid !== undefined) return { identity: identifyProcess(config.pid) };
    const pidFile = resolve(config.pidFile as string);
    let text: string;
    try {
      text = await readFile(pidFile, 'utf8');
    } catch (err) {
      return { identity: null, reason: `cannot read pid file ${pidFile}: ${errnoCode(err) ?? err}` };
    }
    const pid = Number(text.trim());
    if (!Number.isInteger(pid) || pid <= 0) {
      return { identity: null, reason: `pid file ${pidFile} does not hold a PID (${JSON.stringify(truncate(text.trim(), 20))})` };
    }
    return { identity: identifyProcess(pid) };
  }

  /** The process a fault acts on; throws a ChaosError a person can act on when there is none. */
  async requireRunning(): Promise<ProcessIdentity> {
    const located = await this.locate();
    if (located.identity === null) {
      throw new ChaosError(`target ${this.targetName}: no process: ${located.reason}`, {
        code: 'E_PROCESS_NOT_FOUND',
        exitCode: ExitCode.Failed,
      });
    }
    if (!isProcessAlive(located.identity)) {
      throw new ChaosError(`target ${this.targetName}: process ${located.identity.pid} is not running`, {
        code: 'E_PROCESS_NOT_FOUND',
        exitCode: ExitCode.Failed,
      });
    }
    return located.identity;
  }

  /** "process 4242 (node server.js)", or for a managed target not started yet "process started by the run (…)". */
  async describe(): Promise<string> {
    const located = await this.locate();
    if (located.identity === null) {
      if (this.config.command !== undefined) return `process started by the run (${truncate(this.config.command.join(' '))})`;
      return `process of ${this.targetName} (${located.reason})`;
    }
    const { pid } = located.identity;
    const commandLine = commandLineOf(pid) ?? (this.config.command ? truncate(this.config.command.join(' ')) : null);
    return commandLine === null ? `process ${pid}` : `process ${pid} (${commandLine})`;
  }
}

/**
 * Connects a process target. Only purpose `run` starts a managed command; `plan` and `recover` only look.
 */
export async function connectProcess(config: ProcessConfig, ctx: PluginContext): Promise<Connection<ProcessSession>> {
  let managed: ManagedProcess | null = null;
  if (config.command !== undefined && ctx.purpose === 'run') {
    managed = new ManagedProcess({
      command: config.command,
      cwd: config.cwd,
      env: config.env,
      ready: config.ready,
      logFile: join(ctx.workDir, `${ctx.targetName}.log`),
      resources: ctx.resources,
      logger: ctx.logger,
    });
    await managed.start(ctx.signal);
  }
  const session = new ProcessSession(ctx.targetName, config, ctx.purpose, managed);
  const located = await session.locate();
  if (config.command === undefined && ctx.purpose !== 'recover') {
    // A pid target must exist when the run starts; under recover it may be long gone, and that is fine.
    if (located.identity === null || !isProcessAlive(located.identity)) {
      const reason = located.identity === null ? located.reason : `process ${located.identity.pid} is not running`;
      throw new ChaosError(`target ${ctx.targetName}: ${reason}`, {
        code: 'E_TARGET_UNREACHABLE',
        exitCode: ExitCode.Infrastructure,
        hint: 'start the process first, or give the target a `command` so the run starts it',
      });
    }
  }
  const attributes: TargetAttributes = located.identity === null ? {} : { pid: located.identity.pid };
  const connection: Connection<ProcessSession> = { session, attributes };
  if (managed !== null) {
    const owned = managed;
    connection.close = () => owned.stop();
  }
  return connection;
}

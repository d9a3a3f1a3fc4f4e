/**
 * `process.restart`: stops a managed process (signal, grace period, then SIGKILL) and starts it again. Only for
 * targets the run started: a pid target's restart belongs to its supervisor.
 */
import { formatDuration } from '../../../units/duration.js';
import { ChaosError, ExitCode } from '../../../errors.js';
import { defineFault, type InjectContext } from '../../api.js';
import type { ManagedProcess } from '../../shared/managed-process.js';
import type { ProcessSession } from '../session.js';
import { restartSpec } from '../specs.js';

type RestartState = { pid: number | null; startTime: string | null; newPid: number | null; newStartTime: string | null };

function requireManaged(session: ProcessSession): ManagedProcess | null {
  if (!session.isManagedTarget) {
    const where = session.config.pid !== undefined ? `pid ${session.config.pid}` : `pid file ${session.config.pidFile}`;
    throw new ChaosError(
      `process.restart needs a process the run started; target ${session.targetName} points at ${where}`,
      {
        code: 'E_PROCESS_UNMANAGED',
        exitCode: ExitCode.InvalidInput,
        hint: 'use process.kill and let its supervisor restart it, or give the target a `command` so the run manages it',
      },
    );
  }
  return session.managed;
}

export const restartFault = defineFault({
  ...restartSpec,
  async plan(session: ProcessSession, p) {
    requireManaged(session);
    return [
      {
        action: `restart ${await session.describe()} (${p.signal}, SIGKILL after ${formatDuration(p.grace)})`,
        target: session.targetName,
        details: { signal: p.signal, graceMs: p.grace },
      },
    ];
  },
  async inject(session: ProcessSession, p, ctx: InjectContext<RestartState>) {
    const managed = requireManaged(session);
    if (managed === null) {
      throw new ChaosError(`target ${session.targetName} was not started (connected for ${session.purpose})`, {
        code: 'E_PROCESS_NOT_FOUND',
        exitCode: ExitCode.Failed,
      });
    }
    const old = managed.runningIdentity();
    const state: RestartState = { pid: old?.pid ?? null, startTime: old?.startTime ?? null, newPid: null, newStartTime: null };
    await ctx.record(state);
    await managed.stop(p.signal, p.grace);
    const started = await managed.start(ctx.signal);
    ctx.logger.info(`restarted ${managed.description}: pid ${old?.pid ?? 'none'} → ${started.pid}`);
    return { ...state, newPid: started.pid, newStartTime: started.startTime };
  },
  async revert(session: ProcessSession, _state, ctx) {
    // Idempotent: whatever happened during inject, the process ends up running (when this run owns it).
    if (session.managed === null) return;
    await session.managed.ensureRunning(ctx.signal);
  },
});

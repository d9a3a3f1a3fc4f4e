/**
 * `process.pause`: SIGSTOP, so the process holds its sockets but answers nothing (a hung process, a long GC pause).
 * Revert sends SIGCONT, only to the very same process (PID and start time).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive, processState } from '../../../os/process-identity.js';
import { defineFault, type InjectContext } from '../../api.js';
import type { ProcessSession } from '../session.js';
import { pauseSpec } from '../specs.js';
import { sendSignal } from '../../../os/stop-process.js';

type PauseState = { pid: number; startTime: string | null; group: boolean };

export const pauseFault = defineFault({
  ...pauseSpec,
  async plan(session: ProcessSession) {
    return [{ action: `SIGSTOP ${await session.describe()}`, target: session.targetName }];
  },
  async inject(session: ProcessSession, _p, ctx: InjectContext<PauseState>) {
    const identity = await session.requireRunning();
    const state: PauseState = { ...identity, group: session.isManagedTarget };
    await ctx.record(state);
    sendSignal(identity.pid, 'SIGSTOP', state.group);
    // SIGSTOP is asynchronous; wait (briefly) until the kernel shows the process stopped.
    for (let i = 0; i < 40 && processState(identity.pid) !== 'T' && processState(identity.pid) !== 't'; i++) {
      await sleep(25, undefined, { signal: ctx.signal });
    }
    ctx.logger.info(`sent SIGSTOP to process ${identity.pid}`);
    return state;
  },
  async revert(session: ProcessSession, state, ctx) {
    const identity = { pid: state.pid, startTime: state.startTime };
    if (!isProcessAlive(identity)) {
      ctx.logger.info(`process ${state.pid} of ${session.targetName} is gone; nothing to resume`);
      return;
    }
    sendSignal(state.pid, 'SIGCONT', state.group);
    ctx.logger.info(`sent SIGCONT to process ${state.pid}`);
  },
});

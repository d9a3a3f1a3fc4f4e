/**
 * `process.pause`: SIGSTOP, so the process holds its sockets but answers nothing (a hung process, a long GC pause).
 * Revert sends SIGCONT, only to the very same process (PID and start time).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { isProcessAlive, processState } from '../../../os/process-identity.js';
import type { FaultType, InjectContext } from '../../api.js';
import type { ProcessSession } from '../session.js';
import { sendSignal } from '../../../os/stop-process.js';

const params = z.object({}).strict();
type PauseParams = z.output<typeof params>;

type PauseState = { pid: number; startTime: string | null; group: boolean };

export const pauseFault: FaultType<ProcessSession, PauseParams, PauseState> = {
  type: 'process.pause',
  description: 'Stop the process with SIGSTOP; SIGCONT on revert',
  params,
  async plan(session) {
    return [{ action: `SIGSTOP ${await session.describe()}`, target: session.targetName }];
  },
  async inject(session, _p, ctx: InjectContext<PauseState>) {
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
  async revert(session, state, ctx) {
    const identity = { pid: state.pid, startTime: state.startTime };
    if (!isProcessAlive(identity)) {
      ctx.logger.info(`process ${state.pid} of ${session.targetName} is gone; nothing to resume`);
      return;
    }
    sendSignal(state.pid, 'SIGCONT', state.group);
    ctx.logger.info(`sent SIGCONT to process ${state.pid}`);
  },
};

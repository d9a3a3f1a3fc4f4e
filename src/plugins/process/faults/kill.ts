/**
 * `process.kill`: sends a signal (SIGKILL by default) that ends the process. Revert starts a managed process again,
 * so it is down for the step's duration; a pid/pidFile target is left to its supervisor.
 */
import { z } from 'zod';
import { isProcessAlive } from '../../../os/process-identity.js';
import type { ActivityContext, FaultType, InjectContext } from '../../api.js';
import { signalNameSchema } from '../signal-name.js';
import type { ProcessSession } from '../session.js';
import { sendSignal, waitForExit } from '../../../os/stop-process.js';

const params = z
  .object({ signal: signalNameSchema.default('SIGKILL').describe('the signal to send') })
  .strict();
type KillParams = z.output<typeof params>;

type KillState = { pid: number; startTime: string | null; signal: string; managed: boolean };

/** How long inject waits for the process to die, so the outage starts when the step says it does. */
const EXIT_WAIT_MS = 5_000;

export const killFault: FaultType<ProcessSession, KillParams, KillState> = {
  type: 'process.kill',
  description: 'Kill the process with a signal (default SIGKILL); a process started by the run is started again on revert',
  params,
  async plan(session, p) {
    return [{ action: `${p.signal} ${await session.describe()}`, target: session.targetName, details: { signal: p.signal } }];
  },
  async inject(session, p, ctx: InjectContext<KillState>) {
    const identity = await session.requireRunning();
    const state: KillState = { ...identity, signal: p.signal, managed: session.isManagedTarget };
    await ctx.record(state);
    const what = await session.describe();
    // A managed command is its own process group: kill the group so a wrapper script's children go too.
    sendSignal(identity.pid, p.signal, state.managed);
    if (!(await waitForExit(identity, EXIT_WAIT_MS, ctx.signal))) {
      ctx.logger.warn(`${what} is still running ${EXIT_WAIT_MS} ms after ${p.signal}; it may handle the signal`);
    } else {
      ctx.logger.info(`sent ${p.signal} to ${what}; it exited`);
    }
    return state;
  },
  async revert(session, state, ctx: ActivityContext) {
    const identity = { pid: state.pid, startTime: state.startTime };
    if (!state.managed) {
      if (isProcessAlive(identity)) return;
      ctx.logger.warn(
        `process ${state.pid} of ${session.targetName} was killed; chaosdrill did not start it and will not restart it: its supervisor must`,
      );
      return;
    }
    if (session.managed === null) {
      // Under `chaos recover` nothing is started: the process.managed resource entry stops what the run started.
      ctx.logger.info(`process ${state.pid} of ${session.targetName} was started by the run; not restarting it during ${session.purpose}`);
      return;
    }
    await session.managed.ensureRunning(ctx.signal);
  },
};

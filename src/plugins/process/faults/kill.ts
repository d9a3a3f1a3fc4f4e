/**
 * `process.kill`: sends a signal (SIGKILL by default) that ends the process. Revert starts a managed process again,
 * so it is down for the step's duration; a pid/pidFile target is left to its supervisor.
 */
import { isProcessAlive } from '../../../os/process-identity.js';
import { defineFault, type InjectContext } from '../../api.js';
import type { ProcessSession } from '../session.js';
import { killSpec } from '../specs.js';
import { sendSignal, waitForExit } from '../../../os/stop-process.js';

type KillState = { pid: number; startTime: string | null; signal: string; managed: boolean };

/** How long inject waits for the process to die, so the outage starts when the step says it does. */
const EXIT_WAIT_MS = 5_000;

export const killFault = defineFault({
  ...killSpec,
  async plan(session: ProcessSession, p) {
    return [{ action: `${p.signal} ${await session.describe()}`, target: session.targetName, details: { signal: p.signal } }];
  },
  async inject(session: ProcessSession, p, ctx: InjectContext<KillState>) {
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
  async revert(session: ProcessSession, state, ctx) {
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
});

/**
 * How a run is going, and why: passed until something fails. The first failure gives the reason; later ones
 * do not overwrite it (the journal has them all).
 */
import { ChaosError, ExitCode, messageOf } from '../errors.js';
import type { Logger } from '../logger.js';
import type { RunStatus } from './events.js';

export class Verdict {
  status: RunStatus = 'passed';
  reason = 'the steady state held and every objective was met';

  /** A check of the run did not hold (a step, the steady state, an objective, a rollback). */
  readonly fail = (why: string): void => {
    if (this.status === 'passed') {
      this.status = 'failed';
      this.reason = why;
    }
  };

  /** The run stopped on an error: an infrastructure or input problem says so; anything else is a bug. */
  stoppedBy(error: unknown, logger: Logger): void {
    if (error instanceof ChaosError && (error.exitCode === ExitCode.Infrastructure || error.exitCode === ExitCode.InvalidInput)) {
      this.status = error.exitCode === ExitCode.Infrastructure ? 'infrastructure-error' : 'invalid-input';
      this.reason = `${error.code}: ${error.message}${error.hint ? ` (hint: ${error.hint})` : ''}`;
    } else {
      this.status = 'failed';
      this.reason = `internal error: ${messageOf(error)}`;
      logger.warn(error instanceof Error && error.stack ? error.stack : String(error));
    }
  }

  /** After every revert: a failed revert, then an abort, override what the run concluded. */
  settle(revertFailures: number, abortSignal: AbortSignal): void {
    if (revertFailures > 0) {
      this.status = 'revert-failed';
      this.reason = `${revertFailures} revert(s) failed: the system may still be faulted; run \`chaos recover\``;
    } else if (abortSignal.aborted && this.status !== 'infrastructure-error' && this.status !== 'invalid-input') {
      this.status = 'aborted';
      this.reason = `${messageOf(abortSignal.reason)}; every fault was reverted`;
    }
  }

  get exitCode(): ExitCode {
    switch (this.status) {
      case 'passed':
        return ExitCode.Ok;
      case 'failed':
        return ExitCode.Failed;
      case 'aborted':
        return ExitCode.Aborted;
      case 'revert-failed':
        return ExitCode.RevertFailed;
      case 'infrastructure-error':
        return ExitCode.Infrastructure;
      case 'invalid-input':
        return ExitCode.InvalidInput;
    }
  }
}

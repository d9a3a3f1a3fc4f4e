/**
 * The run lifecycle (DESIGN.md §2) in three parts: prepare (run folder, journal, abort sources), execute
 * (preflight → connect → steady state before → observers → method → revert (LIFO) → rollbacks → steady state
 * after → objectives), conclude (revert whatever is left, release, verdict, journal). Every fault is reverted
 * whatever happens: success, failure, exception, abort, maxDuration, SIGINT/SIGTERM (the caller turns signals into
 * `options.signal`).
 */
import type { LoadedExperiment } from '../experiment/types.js';
import { concludeRun, releaseRun } from './conclude-run.js';
import { executeRun } from './execute-run.js';
import { prepareRun } from './prepare-run.js';
import type { RunOptions, RunResult } from './run-options.js';

export { newRunId } from './prepare-run.js';
export type { Invocation, RunOptions, RunResult } from './run-options.js';

/**
 * Runs a loaded experiment. Never throws for anything that happens during the run: the result carries the exit
 * code and the reason, and the journal the details. Throws only a ChaosError when the run folder cannot be claimed:
 * E_RUN_DIR_TAKEN (exit 2, it holds another run's journal) or E_RUN_DIR_UNWRITABLE (exit 5).
 */
export async function runExperiment(loaded: LoadedExperiment, options: RunOptions): Promise<RunResult> {
  const run = await prepareRun(loaded, options);
  try {
    await executeRun(run);
  } catch (error) {
    run.verdict.stoppedBy(error, run.logger);
  } finally {
    await releaseRun(run);
  }
  return concludeRun(run);
}

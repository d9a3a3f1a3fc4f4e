/**
 * The end of a run, reached whatever happened before: revert what is still injected, run the rollbacks the
 * method owed, release targets, ledger and locks; then the verdict, the journal's last entry and the result.
 */
import { messageOf } from '../errors.js';
import { closeRunFolder } from '../state/run-folder.js';
import { runRollbacks } from './execute-run.js';
import { emitPhase, runContextOf, type PreparedRun } from './prepare-run.js';
import { now } from './run-context.js';
import type { RunResult } from './run-options.js';
import { closeTargets } from './targets.js';

/** Runs after executeRun, however it ended; never throws. */
export async function releaseRun(run: PreparedRun): Promise<void> {
  const { plugins, ledger, logger, measurement } = run;
  run.stopWatching();
  if (plugins && ledger) {
    // Reached after an exception too: nothing that was injected stays injected.
    const ctx = runContextOf(run, plugins, ledger);
    if (run.stack.size > 0) await run.stack.revertAll(ctx, 'revert');
    // The method began but did not reach its end (it threw): rollbacks run all the same, after the reverts.
    if (run.rollbacksDue) await runRollbacks(ctx, run.verdict.fail).catch((e: unknown) => logger.warn(`rollbacks: ${messageOf(e)}`));
  }
  await measurement?.stop().catch((e: unknown) => logger.warn(`measurement: ${messageOf(e)}`));
  await measurement?.discard();
  await closeTargets(run.targets, logger);
  // Also after a failed revert: a finished run's leftovers block the next run against the target, in this process too.
  if (ledger) await ledger.finish().catch((e: unknown) => logger.warn(`ledger: ${messageOf(e)}`));
  await run.locks?.release().catch((e: unknown) => logger.warn(`locks: ${messageOf(e)}`));
  // Last: until the run is finished in its ledger, its liveness record says its runner is still at work.
  await run.liveness?.stop().catch((e: unknown) => logger.warn(`state: ${messageOf(e)}`));
}

/** The verdict, announced and journaled; the journal is anchored in the ledger and closed. */
export async function concludeRun(run: PreparedRun): Promise<RunResult> {
  const { verdict, runId, redact, folder } = run;
  verdict.settle(run.stack.revertFailures, run.abort.signal);
  const { status, reason, exitCode } = verdict;
  await emitPhase(run, 'finish');
  await run.bus.emit('run:end', { runId, status, exitCode, reason, at: now() });
  await closeRunFolder(folder, run.ledger, run.logger);
  // The reason and the evidence quote what probes saw (URLs, messages): secrets are hidden from API callers too.
  return {
    runId,
    status,
    exitCode,
    reason: redact(reason),
    runDir: folder.dir,
    journalPath: folder.journalPath,
    objectives: redact(run.objectives),
  };
}

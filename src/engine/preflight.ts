/**
 * Checks made before anything is contacted: production confirmation, and refusing to start while the ledger holds
 * unrecovered faults against a target of this run (left by a run that finished with a failed revert, or whose
 * runner is gone: its process, its heartbeat or its Lease). With `safety.autoRecover`, those runs are recovered
 * first, and the run starts if nothing of them is left on its targets.
 */
import { ChaosError, ExitCode } from '../errors.js';
import type { ResolvedExperiment } from '../experiment/types.js';
import type { Logger } from '../plugins/api.js';
import type { StateBackend } from '../state/backend.js';
import { unrecoveredEntries, type LedgerEntry, type LedgerRun } from '../state/ledger.js';
import type { LivenessJudge } from '../state/liveness.js';
import type { RecoverReport } from './recover.js';

export interface PreflightOptions {
  experiment: ResolvedExperiment;
  state: StateBackend;
  judge: LivenessJudge;
  keys: Array<{ name: string; key: string }>;
  force: boolean;
  confirmProduction: boolean;
  logger: Logger;
  /** `chaos recover` limited to the given runs, for `safety.autoRecover`. */
  recoverRuns: (runIds: ReadonlySet<string>) => Promise<RecoverReport>;
}

export async function preflight(options: PreflightOptions): Promise<void> {
  const production = Object.values(options.experiment.targets).filter((t) => t.environment === 'production');
  if (production.length > 0 && !options.confirmProduction) {
    throw new ChaosError(
      `target${production.length > 1 ? 's' : ''} ${production.map((t) => `"${t.name}"`).join(', ')} ` +
        `${production.length > 1 ? 'are' : 'is'} marked environment: production`,
      {
        code: 'E_PRODUCTION_UNCONFIRMED',
        exitCode: ExitCode.InvalidInput,
        hint: 'pass --yes (or set CHAOS_CONFIRM=production) to run against production',
      },
    );
  }

  const ours = new Map(options.keys.map((k) => [k.key, k.name]));
  const onOurTargets = async () => (await unrecoveredEntries(options.state, { judge: options.judge })).filter(({ entry }) => ours.has(entry.target.key));
  let pending = await onOurTargets();
  if (pending.length === 0) return;
  if (options.experiment.safety.autoRecover && !options.force) {
    const runs = new Set(pending.map(({ run }) => run.header.runId));
    options.logger.warn(`safety.autoRecover: reverting what ${[...runs].map((r) => `run ${r}`).join(', ')} left on this run's targets before starting`);
    const report = await options.recoverRuns(runs);
    for (const a of report.actions) {
      const line = `safety.autoRecover: ${a.outcome} ${a.kind} ${a.type} on "${a.target}" (run ${a.runId})${a.error ? `: ${a.error}` : ''}`;
      if (a.outcome === 'failed') options.logger.warn(line);
      else options.logger.info(line);
    }
    pending = await onOurTargets();
    if (pending.length === 0) return;
  }
  const list = describePending(pending, ours);
  if (options.force) {
    options.logger.warn(`--force: starting although the ledger holds unrecovered faults: ${list}`);
    return;
  }
  throw new ChaosError(`the ledger holds ${pending.length} unrecovered fault(s) against this run's targets: ${list}`, {
    code: 'E_UNRECOVERED_FAULTS',
    exitCode: ExitCode.Infrastructure,
    hint: !options.experiment.safety.autoRecover
      ? 'a previous run died, or its revert failed; run `chaos recover` first, or set safety.autoRecover: true (or --force to start anyway)'
      : 'safety.autoRecover could not revert them (see above); fix what the errors say and run `chaos recover`',
  });
}

/** Each entry, then why its run counts as over: people must see which runner is gone and how we know. */
function describePending(pending: ReadonlyArray<{ run: LedgerRun; entry: LedgerEntry }>, ours: ReadonlyMap<string, string>): string {
  const entries = pending.map(({ run, entry }) => `${entry.type} on "${ours.get(entry.target.key)}" (run ${run.header.runId}, ${entry.status})`);
  const runs = new Map<string, string>();
  for (const { run } of pending) {
    runs.set(run.header.runId, run.finished ? 'it finished with a failed revert' : run.alive ? 'its revert failed' : `its runner is gone: ${run.verdict.reason}`);
  }
  return `${entries.join('; ')} — ${[...runs].map(([id, why]) => `run ${id}: ${why}`).join('; ')}`;
}

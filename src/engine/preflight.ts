/**
 * Checks made before anything is contacted: production confirmation, and refusing to start while the ledger holds
 * unrecovered faults against a target of this run.
 */
import { ChaosError, ExitCode } from '../errors.js';
import type { ResolvedExperiment } from '../experiment/types.js';
import type { Logger } from '../plugins/api.js';
import { unrecoveredEntries } from '../state/ledger.js';

export interface PreflightOptions {
  experiment: ResolvedExperiment;
  stateDir: string;
  keys: Array<{ name: string; key: string }>;
  force: boolean;
  confirmProduction: boolean;
  logger: Logger;
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
  const pending = (await unrecoveredEntries(options.stateDir)).filter(({ entry }) => ours.has(entry.target.key));
  if (pending.length === 0) return;
  const list = pending
    .map(({ run, entry }) => `${entry.type} on "${ours.get(entry.target.key)}" (run ${run.header.runId}, ${entry.status})`)
    .join('; ');
  if (options.force) {
    options.logger.warn(`--force: starting although the ledger holds unrecovered faults: ${list}`);
    return;
  }
  throw new ChaosError(`the ledger holds ${pending.length} unrecovered fault(s) against this run's targets: ${list}`, {
    code: 'E_UNRECOVERED_FAULTS',
    exitCode: ExitCode.Infrastructure,
    hint: 'a previous run died, or its revert failed; run `chaos recover` first (or --force to start anyway)',
  });
}

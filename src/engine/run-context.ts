/**
 * What the parts of one run share. Owned by runExperiment; nothing here is module-level.
 */
import type { Redactor } from '../experiment/redact.js';
import type { ResolvedExperiment } from '../experiment/types.js';
import type { Logger } from '../plugins/api.js';
import type { LoadedPlugins } from '../plugins/registry.js';
import type { ActivityRecord, EventBus } from './events.js';
import type { Ledger } from '../state/ledger.js';
import type { ConnectedTarget } from './targets.js';

export interface RunContext {
  runId: string;
  experiment: ResolvedExperiment;
  /** The plugins the experiment uses, implementations loaded. */
  plugins: LoadedPlugins;
  bus: EventBus;
  logger: Logger;
  ledger: Ledger;
  targets: Map<string, ConnectedTarget>;
  /** Hides secret values in whatever is written (ledger, journal). */
  redact: Redactor;
  /** Fires when the run is aborted (operator, maxDuration, guardrail). The method stops; reverts do not. */
  abortSignal: AbortSignal;
}

export async function recordActivity(ctx: RunContext, activity: ActivityRecord): Promise<void> {
  await ctx.bus.emit('activity:end', { activity });
}

export function now(): string {
  return new Date().toISOString();
}

/**
 * Runbook checks (`runbook.steps[].check.probe`): the observed outcome of each runbook step, as an auditor reads
 * it. A check runs right after the method step whose name equals the runbook step's `id` (the state that step
 * produced, before the next one changes it); checks of runbook steps no method step is named after run at the end
 * of the method, in runbook order, before any revert. Each check is recorded as a probe activity named after the
 * runbook step, in the `runbook` section of the journal. A failed check fails the run (exit 1) but does not stop
 * the method: the walk through the runbook is recorded whole. Nothing here reverts or injects; the caller's
 * revert guarantees are unchanged. An aborted run runs no further checks (the report shows them as not observed).
 */
import type { RunbookStep } from '../experiment/types.js';
import type { ActivityRecord } from './events.js';
import type { RunContext } from './run-context.js';
import { runProbeStep } from './steps.js';

export class RunbookChecks {
  readonly #pending: RunbookStep[];
  readonly failures: string[] = [];

  readonly #ctx: RunContext;

  constructor(ctx: RunContext) {
    this.#ctx = ctx;
    this.#pending = (ctx.experiment.runbook?.steps ?? []).filter((s) => s.check !== null);
  }

  /** Runs the checks of the runbook steps named after this method step. */
  async afterStep(record: ActivityRecord): Promise<void> {
    await this.#run(this.#pending.filter((s) => s.id === record.name));
  }

  /** Runs the checks not run yet (their runbook step matched no method step), in runbook order. */
  async atEndOfMethod(): Promise<void> {
    await this.#run([...this.#pending]);
  }

  async #run(steps: RunbookStep[]): Promise<void> {
    for (const step of steps) {
      this.#pending.splice(this.#pending.indexOf(step), 1);
      if (this.#ctx.abortSignal.aborted) continue;
      const record = await runProbeStep(this.#ctx, { ...step.check!, name: step.id }, 'runbook', this.#ctx.abortSignal);
      if (record.status !== 'succeeded') this.failures.push(`runbook step "${step.id}" check ${record.status}: ${record.message}`);
    }
  }
}

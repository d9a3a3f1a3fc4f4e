/**
 * The method: steps in order, `background` steps alongside the following ones. A failed step (that is not
 * `continueOnFailure`) stops the method; whatever was injected is reverted afterwards by the caller.
 */
import type { MethodStep } from '../experiment/types.js';
import type { ActivityRecord } from './events.js';
import { type FaultStack, runFaultStep } from './faults.js';
import type { RunContext } from './run-context.js';
import { runActionStep, runPauseStep, runProbeStep } from './steps.js';

export interface MethodOutcome {
  /** The first step that failed and was not `continueOnFailure`, if any. */
  failedStep: ActivityRecord | null;
  activities: ActivityRecord[];
}

function runStep(ctx: RunContext, stack: FaultStack, step: MethodStep, signal: AbortSignal): Promise<ActivityRecord> {
  switch (step.kind) {
    case 'pause':
      return runPauseStep(ctx, step, 'method', signal);
    case 'fault':
      return runFaultStep(ctx, stack, step, signal);
    case 'action':
      return runActionStep(ctx, step, 'method', signal);
    case 'probe':
      return runProbeStep(ctx, step, 'method', signal);
    default: {
      // A LoadedExperiment built by something newer than this engine: a bug to report, never a step skipped quietly.
      const unknownStep: { name: string; kind: string } = step;
      throw new Error(`the engine cannot run method step "${unknownStep.name}" of kind "${unknownStep.kind}"`);
    }
  }
}

function isStopping(step: MethodStep, record: ActivityRecord): boolean {
  return record.status !== 'succeeded' && record.status !== 'aborted' && !step.continueOnFailure;
}

/** `afterStep` runs once a step has ended, before the next foreground step starts (runbook checks use it). */
export async function runMethod(ctx: RunContext, stack: FaultStack, afterStep?: (record: ActivityRecord) => Promise<void>): Promise<MethodOutcome> {
  const activities: ActivityRecord[] = [];
  let failedStep: ActivityRecord | null = null;
  // Background steps stop early when a foreground step fails, as well as on abort.
  const stopBackground = new AbortController();
  const backgroundSignal = AbortSignal.any([ctx.abortSignal, stopBackground.signal]);
  const background: Promise<void>[] = [];

  for (const step of ctx.experiment.method) {
    if (ctx.abortSignal.aborted || failedStep) break;
    if (step.background) {
      background.push(
        runStep(ctx, stack, step, backgroundSignal).then(async (record) => {
          activities.push(record);
          await afterStep?.(record);
          if (isStopping(step, record) && !failedStep) {
            failedStep = record;
            stopBackground.abort(new Error(`step "${record.name}" failed`));
          }
        }),
      );
      continue;
    }
    const record = await runStep(ctx, stack, step, ctx.abortSignal);
    activities.push(record);
    await afterStep?.(record);
    if (isStopping(step, record)) {
      failedStep = record;
      stopBackground.abort(new Error(`step "${record.name}" failed`));
    }
  }
  // The method ends when its background steps end (a background fault with a duration holds until it is reverted).
  await Promise.all(background);
  return { failedStep, activities };
}

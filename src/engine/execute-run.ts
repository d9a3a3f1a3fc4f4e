/**
 * The middle of a run (DESIGN.md §2): preflight → locks and ledger → connect → steady state before → observers →
 * method → revert (LIFO) → rollbacks → steady state after → objectives. Whatever throws here, conclude-run.ts
 * reverts what is left and releases what was taken.
 */
import { resolve } from 'node:path';
import { asJson } from '../json.js';
import { identifyProcess } from '../os/process-identity.js';
import { Ledger } from '../state/ledger.js';
import type { Holder } from '../state/backend.js';
import { LivenessJudge } from '../state/liveness.js';
import { runMethod } from './method.js';
import { Measurement, measures } from './observers/measurement.js';
import { preflight } from './preflight.js';
import { recover } from './recover.js';
import { emitPhase, runContextOf, type PreparedRun } from './prepare-run.js';
import { resourceTracker } from './resources.js';
import { now, type RunContext } from './run-context.js';
import { RunbookChecks } from './runbook-checks.js';
import { checkSteadyState, runActionStep } from './steps.js';
import { pluginsUsedBy } from './plugins-used.js';
import { connectTargets, targetKey } from './targets.js';

export async function executeRun(run: PreparedRun): Promise<void> {
  const ctx = await takeTargets(run);
  run.measurement = startMeasurement(run, ctx);

  await emitPhase(run, 'connect');
  const connected = await connectTargets(ctx.plugins, ctx.experiment, {
    purpose: 'run',
    workDir: run.folder.dir,
    stateDir: run.options.stateDir,
    logger: run.logger,
    signal: run.abort.signal,
    resources: (target, key) => resourceTracker(ctx.ledger, { name: target.name, type: target.type, key, configTemplate: target.configTemplate }, run.redact),
  });
  for (const [name, c] of connected) run.targets.set(name, c);

  await emitPhase(run, 'steady-state-before');
  const before = await checkSteadyState(ctx, 'before', run.abort.signal);
  await run.folder.journal.append('steady-state', { when: 'before', held: before.held });
  if (!before.held) {
    run.verdict.fail('the steady state did not hold before the method: the system was not healthy to begin with; nothing was injected');
    return;
  }
  await experimentOn(run, ctx);
}

/**
 * The plugins the experiment uses (a missing dependency stops the run here, exit 5), preflight, the target locks,
 * then the ledger: nothing is connected before this run owns its targets.
 */
async function takeTargets(run: PreparedRun): Promise<RunContext> {
  const { experiment, source } = run.loaded;
  const { options, logger } = run;
  const plugins = await options.registry.load(pluginsUsedBy(experiment, options.registry));
  run.plugins = plugins;
  const self = identifyProcess(options.invocation.pid);
  const holder: Holder = { runId: run.runId, host: options.invocation.host, pid: self.pid, pidStartTime: self.startTime };
  const judge = new LivenessJudge({ host: options.invocation.host });
  const { state } = run;
  const { registry } = options;
  const keys = Object.values(experiment.targets).map((t) => ({ name: t.name, key: targetKey(registry, t) }));
  await preflight({
    experiment, state, judge, keys, force: options.force ?? false, confirmProduction: options.confirmProduction ?? false, logger,
    recoverRuns: (runIds) => recover({ state, stateDir: options.stateDir, registry, env: options.env ?? {}, logger, signal: run.abort.signal, holder, judge, onlyRuns: runIds }),
  });
  // Liveness first: every lock and ledger of this run has a liveness record to be judged by.
  run.liveness = await state.startLiveness(holder, run.livenessEvents);
  run.locks = await state.acquireLocks(keys, holder, judge, run.livenessEvents);
  for (const warning of run.locks.warnings) logger.warn(warning);
  run.ledger = await Ledger.open(state, {
    runId: run.runId,
    pid: self.pid,
    pidStartTime: self.startTime,
    host: options.invocation.host,
    user: options.invocation.user,
    startedAt: run.startedAt.toISOString(),
    experiment: experiment.name,
    // Absolute: `chaos recover` may run from another directory and reads `{ file: … }` secrets next to it.
    file: resolve(options.invocation.cwd, source.path),
    secrets: experiment.secrets,
    liveness: state.timing,
  }, { redact: run.redact });
  return runContextOf(run, plugins, run.ledger);
}

/** Load, objectives and guardrails, when the experiment has any; a tripped guardrail aborts the run. */
function startMeasurement(run: PreparedRun, ctx: RunContext): Measurement | null {
  if (!measures(ctx.experiment)) return null;
  const { abort, folder, bus } = run;
  const measurement = new Measurement(ctx, {
    runDir: folder.dir,
    cwd: run.options.invocation.cwd,
    onProgress: run.options.onProgress,
    onTrip: (trip) => {
      if (abort.signal.aborted) return;
      const why = `guardrail tripped: ${trip.condition} (saw ${trip.observed})`;
      abort.abort(new Error(why));
      void folder.journal.append('guardrail-tripped', asJson(trip));
      void bus.emit('abort', { reason: why, kind: 'guardrail', at: trip.at });
    },
  });
  bus.subscribe(measurement.subscriber);
  return measurement;
}

/** The experiment proper, on a system that was healthy: method, reverts, rollbacks, steady state after, objectives. */
async function experimentOn(run: PreparedRun, ctx: RunContext): Promise<void> {
  const { verdict, measurement, folder, abort } = run;
  await emitPhase(run, 'observers');
  await measurement?.start();

  await emitPhase(run, 'method');
  run.rollbacksDue = true;
  const runbookChecks = new RunbookChecks(ctx);
  const method = await runMethod(ctx, run.stack, (record) => runbookChecks.afterStep(record));
  await runbookChecks.atEndOfMethod();
  await measurement?.endMethod();
  if (method.failedStep) verdict.fail(`method step "${method.failedStep.name}" ${method.failedStep.status}: ${method.failedStep.message}`);
  for (const failure of runbookChecks.failures) verdict.fail(failure);

  await emitPhase(run, 'revert');
  await run.stack.revertAll(ctx, 'revert');

  run.rollbacksDue = false;
  await emitPhase(run, 'rollbacks');
  await runRollbacks(ctx, verdict.fail);

  if (abort.signal.aborted) {
    run.logger.warn('steady state after: skipped, the run was aborted');
  } else {
    await emitPhase(run, 'steady-state-after');
    const after = await checkSteadyState(ctx, 'after', abort.signal);
    await folder.journal.append('steady-state', { when: 'after', held: after.held });
    if (!after.held) verdict.fail('the steady state did not hold after the method: the system did not recover');
  }
  // Only now (DESIGN.md §2.7): the `after` window and the RTO probe cover a recovery during the check above.
  await measurement?.stop();

  await emitPhase(run, 'objectives');
  run.objectives = (await measurement?.evaluate()) ?? [];
  for (const result of run.objectives) if (!result.passed) verdict.fail(`objective "${result.name}" not met: ${result.message}`);
  if (measurement) await folder.journal.append('measurements', measurement.journal());
  if (run.objectives.length > 0) await folder.journal.append('objectives', asJson(run.objectives));
  if (run.objectives.length > 0) await run.bus.emit('objectives:evaluated', { results: run.objectives, at: now() });
}

/** Every rollback, in order, whatever the previous one did; reverts never stop them, nor an abort. */
export async function runRollbacks(ctx: RunContext, fail: (why: string) => void): Promise<void> {
  const never = new AbortController().signal;
  for (const step of ctx.experiment.rollbacks) {
    const record = await runActionStep(ctx, step, 'rollbacks', never);
    if (record.status !== 'succeeded') fail(`rollback "${step.name}" failed: ${record.message}`);
  }
}

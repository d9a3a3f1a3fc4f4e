/**
 * The run lifecycle (DESIGN.md §2): preflight → connect → steady state before → observers → method → revert (LIFO)
 * → rollbacks → steady state after → objectives → journal. Every fault is reverted whatever happens: success,
 * failure, exception, abort, maxDuration, SIGINT/SIGTERM (the caller turns signals into `options.signal`).
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { ChaosError, ExitCode, messageOf } from '../errors.js';
import { createRedactor } from '../experiment/redact.js';
import type { LoadedExperiment } from '../experiment/types.js';
import type { Json } from '../json.js';
import type { Logger } from '../plugins/api.js';
import type { LoadedPlugins, Registry } from '../plugins/registry.js';
import { EventBus, type Phase, type RunStatus, type RunSubscriber } from './events.js';
import { FaultStack } from './faults.js';
import type { ObjectiveResult } from '../measure/objective-result.js';
import { journalRecorder } from './journal-subscriber.js';
import { Ledger } from '../state/ledger.js';
import { TargetLocks } from '../state/lock.js';
import { preflight } from './preflight.js';
import { identifyProcess } from '../os/process-identity.js';
import { now, type RunContext } from './run-context.js';
import { runMethod } from './method.js';
import { RunbookChecks } from './runbook-checks.js';
import { checkSteadyState, runActionStep } from './steps.js';
import { closeTargets, connectTargets, targetKey, type ConnectedTarget } from './targets.js';
import { pluginsUsedBy } from './plugins-used.js';
import { redactingSubscriber } from './redacting-subscriber.js';
import { resourceTracker } from './resources.js';
import { closeRunFolder, openRunFolder } from '../state/run-folder.js';
import { Measurement, measures } from './observers/measurement.js';
import type { LiveProgress } from './observers/live-progress.js';

export interface Invocation {
  argv: string[];
  cwd: string;
  user: string;
  host: string;
  pid: number;
  version: string;
}

export interface RunOptions {
  registry: Registry;
  /** The fault ledger and locks live here (default `.chaos/` in the CLI). */
  stateDir: string;
  /** The run folder: journal.json and reports go here. Never one that holds another run's journal. */
  runDir: string;
  /** `runDir` is a default name (two runs in one second share it): when it is taken, use `<runDir>-2`, `-3`… */
  uniqueRunDir?: boolean;
  invocation: Invocation;
  /** Aborting it (SIGINT/SIGTERM, an operator) stops the method; every fault is still reverted. */
  signal?: AbortSignal;
  /** Start even though the ledger holds unrecovered faults against a target of this run. */
  force?: boolean;
  /** `--yes` / CHAOS_CONFIRM=production: allows targets marked `environment: production`. */
  confirmProduction?: boolean;
  subscribers?: RunSubscriber[];
  /** Live load figures, about once a second while load runs (the CLI's progress line). */
  onProgress?: (progress: LiveProgress) => void;
  /** Called when a subscriber fails; the CLI prints it. */
  onSubscriberError?: (subscriber: string, event: string, error: unknown) => void;
}

export interface RunResult {
  runId: string;
  status: RunStatus;
  exitCode: ExitCode;
  /** One sentence for people: why the run ended the way it did. */
  reason: string;
  runDir: string;
  journalPath: string;
  objectives: ObjectiveResult[];
}

/** A sortable, unique run id: `20261126T201500Z-region-failover-3f9a`. */
export function newRunId(name: string, at: Date = new Date()): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${name}-${randomBytes(2).toString('hex')}`;
}

function busLogger(bus: EventBus): Logger {
  const log = (level: 'debug' | 'info' | 'warn') => (message: string) => void bus.emit('log', { level, message, at: now() });
  return { debug: log('debug'), info: log('info'), warn: log('warn') };
}

/**
 * Runs a loaded experiment. Never throws for anything that happens during the run: the result carries the exit
 * code and the reason, and the journal the details. Throws only a ChaosError when the run folder cannot be claimed:
 * E_RUN_DIR_TAKEN (exit 2, it holds another run's journal) or E_RUN_DIR_UNWRITABLE (exit 5).
 */
export async function runExperiment(loaded: LoadedExperiment, options: RunOptions): Promise<RunResult> {
  const { experiment, source } = loaded;
  const { registry, invocation } = options;
  const startedAt = new Date();
  const runId = newRunId(experiment.name, startedAt);
  const redact = createRedactor(loaded.secretValues);
  const folder = await openRunFolder(options.runDir, { unique: options.uniqueRunDir ?? false, redact });
  const { dir: runDir, journal, journalPath } = folder;

  const bus = new EventBus(options.onSubscriberError ?? (() => undefined));
  // The engine writes its journal itself: every event, in order, however slow the disk (not as a subscriber).
  bus.recordWith(journalRecorder(journal));
  for (const subscriber of options.subscribers ?? []) {
    bus.subscribe(loaded.secretValues.length === 0 ? subscriber : redactingSubscriber(subscriber, redact));
  }
  const logger = busLogger(bus);

  const abort = new AbortController();
  const onOperatorAbort = () => {
    if (abort.signal.aborted) return;
    const reason = `aborted by the operator (${String(options.signal?.reason ?? 'signal')})`;
    abort.abort(new Error(reason));
    void bus.emit('abort', { reason, kind: 'signal', at: now() });
  };
  if (options.signal?.aborted) onOperatorAbort();
  options.signal?.addEventListener('abort', onOperatorAbort, { once: true });
  const maxDurationTimer = setTimeout(() => {
    if (abort.signal.aborted) return;
    const reason = `safety.maxDuration (${experiment.safety.maxDurationMs} ms) reached`;
    abort.abort(new Error(reason));
    void bus.emit('abort', { reason, kind: 'max-duration', at: now() });
  }, experiment.safety.maxDurationMs);
  maxDurationTimer.unref();

  await journal.append('run-started', {
    runId,
    startedAt: startedAt.toISOString(),
    experiment: experiment as unknown as Json,
    source: { path: source.path, sha256: source.sha256 },
    invocation: invocation as unknown as Json,
    // Where the ledger that anchors this journal's head lives, for `chaos journal verify`.
    stateDir: options.stateDir,
  });
  await bus.emit('run:start', { runId, experiment, runDir, startedAt: startedAt.toISOString() });
  const phase = (p: Phase) => bus.emit('phase', { phase: p, at: now() });

  const stack = new FaultStack();
  const targets = new Map<string, ConnectedTarget>();
  let plugins: LoadedPlugins | null = null;
  let ledger: Ledger | null = null;
  let locks: TargetLocks | null = null;
  let status: RunStatus = 'passed';
  let reason = 'the steady state held and every objective was met';
  let objectiveResults: ObjectiveResult[] = [];
  let measurement: Measurement | null = null;
  /** Set once the method begins, cleared when the rollbacks start: rollbacks run once, whatever happens. */
  let rollbacksDue = false;
  const fail = (why: string) => {
    if (status === 'passed') {
      status = 'failed';
      reason = why;
    }
  };

  try {
    plugins = await registry.load(pluginsUsedBy(experiment, registry));
    const self = identifyProcess(invocation.pid);
    const keys = Object.values(experiment.targets).map((t) => ({ name: t.name, key: targetKey(registry, t) }));
    await preflight({ experiment, stateDir: options.stateDir, keys, force: options.force ?? false, confirmProduction: options.confirmProduction ?? false, logger });
    locks = await TargetLocks.acquire(options.stateDir, keys, { runId, pid: self.pid, pidStartTime: self.startTime });
    for (const warning of locks.warnings) logger.warn(warning);
    ledger = await Ledger.open(options.stateDir, {
      runId,
      pid: self.pid,
      pidStartTime: self.startTime,
      host: invocation.host,
      user: invocation.user,
      startedAt: startedAt.toISOString(),
      experiment: experiment.name,
      // Absolute: `chaos recover` may run from another directory and reads `{ file: … }` secrets next to it.
      file: resolve(invocation.cwd, source.path),
      secrets: experiment.secrets,
    }, { redact });
    const ctx: RunContext = { runId, experiment, plugins, bus, logger, ledger, targets, redact, abortSignal: abort.signal };
    if (measures(experiment)) {
      measurement = new Measurement(ctx, {
        runDir,
        cwd: invocation.cwd,
        onProgress: options.onProgress,
        onTrip: (trip) => {
          if (abort.signal.aborted) return;
          const why = `guardrail tripped: ${trip.condition} (saw ${trip.observed})`;
          abort.abort(new Error(why));
          void journal.append('guardrail-tripped', trip as unknown as Json);
          void bus.emit('abort', { reason: why, kind: 'guardrail', at: trip.at });
        },
      });
      bus.subscribe(measurement.subscriber);
    }

    await phase('connect');
    const connected = await connectTargets(plugins, experiment, {
      purpose: 'run',
      workDir: runDir,
      stateDir: options.stateDir,
      logger,
      signal: abort.signal,
      resources: (target, key) => resourceTracker(ledger!, { name: target.name, type: target.type, key, configTemplate: target.configTemplate }, redact),
    });
    for (const [name, c] of connected) targets.set(name, c);

    await phase('steady-state-before');
    const before = await checkSteadyState(ctx, 'before', abort.signal);
    await journal.append('steady-state', { when: 'before', held: before.held });
    if (!before.held) {
      fail('the steady state did not hold before the method: the system was not healthy to begin with; nothing was injected');
    } else {
      await phase('observers');
      await measurement?.start();

      await phase('method');
      rollbacksDue = true;
      const runbookChecks = new RunbookChecks(ctx);
      const method = await runMethod(ctx, stack, (record) => runbookChecks.afterStep(record));
      await runbookChecks.atEndOfMethod();
      await measurement?.endMethod();
      if (method.failedStep) fail(`method step "${method.failedStep.name}" ${method.failedStep.status}: ${method.failedStep.message}`);
      for (const failure of runbookChecks.failures) fail(failure);

      await phase('revert');
      await stack.revertAll(ctx, 'revert');

      rollbacksDue = false;
      await phase('rollbacks');
      await runRollbacks(ctx, fail);

      if (abort.signal.aborted) {
        logger.warn('steady state after: skipped, the run was aborted');
      } else {
        await phase('steady-state-after');
        const after = await checkSteadyState(ctx, 'after', abort.signal);
        await journal.append('steady-state', { when: 'after', held: after.held });
        if (!after.held) fail('the steady state did not hold after the method: the system did not recover');
      }
      // Only now (DESIGN.md §2.7): the `after` window and the RTO probe cover a recovery during the check above.
      await measurement?.stop();

      await phase('objectives');
      objectiveResults = (await measurement?.evaluate()) ?? [];
      for (const result of objectiveResults) if (!result.passed) fail(`objective "${result.name}" not met: ${result.message}`);
      if (measurement) await journal.append('measurements', measurement.journal());
      if (objectiveResults.length > 0) await journal.append('objectives', objectiveResults as unknown as Json);
      if (objectiveResults.length > 0) await bus.emit('objectives:evaluated', { results: objectiveResults, at: now() });
    }
  } catch (error) {
    if (error instanceof ChaosError && (error.exitCode === ExitCode.Infrastructure || error.exitCode === ExitCode.InvalidInput)) {
      status = error.exitCode === ExitCode.Infrastructure ? 'infrastructure-error' : 'invalid-input';
      reason = `${error.code}: ${error.message}${error.hint ? ` (hint: ${error.hint})` : ''}`;
    } else {
      status = 'failed';
      reason = `internal error: ${messageOf(error)}`;
      logger.warn(error instanceof Error && error.stack ? error.stack : String(error));
    }
  } finally {
    clearTimeout(maxDurationTimer);
    options.signal?.removeEventListener('abort', onOperatorAbort);
    if (ledger && plugins) {
      // Reached after an exception too: nothing that was injected stays injected.
      const ctx: RunContext = { runId, experiment, plugins, bus, logger, ledger, targets, redact, abortSignal: abort.signal };
      if (stack.size > 0) await stack.revertAll(ctx, 'revert');
      // The method began but did not reach its end (it threw): rollbacks run all the same, after the reverts.
      if (rollbacksDue) await runRollbacks(ctx, fail).catch((e: unknown) => logger.warn(`rollbacks: ${messageOf(e)}`));
    }
    await measurement?.stop().catch((e: unknown) => logger.warn(`measurement: ${messageOf(e)}`));
    await measurement?.discard();
    await closeTargets(targets, logger);
    // Also after a failed revert: a finished run's leftovers block the next run against the target, in this process too.
    if (ledger) await ledger.finish().catch((e: unknown) => logger.warn(`ledger: ${messageOf(e)}`));
    await locks?.release().catch((e: unknown) => logger.warn(`locks: ${messageOf(e)}`));
  }

  if (stack.revertFailures > 0) {
    status = 'revert-failed';
    reason = `${stack.revertFailures} revert(s) failed: the system may still be faulted; run \`chaos recover\``;
  } else if (abort.signal.aborted && status !== 'infrastructure-error' && status !== 'invalid-input') {
    status = 'aborted';
    reason = `${messageOf(abort.signal.reason)}; every fault was reverted`;
  }
  const exitCode = exitCodeOf(status);
  await phase('finish');
  await bus.emit('run:end', { runId, status, exitCode, reason, at: now() });
  await closeRunFolder(folder, ledger, logger);
  // The reason and the evidence quote what probes saw (URLs, messages): secrets are hidden from API callers too.
  return {
    runId,
    status,
    exitCode,
    reason: redact(reason),
    runDir,
    journalPath,
    objectives: redact(objectiveResults as unknown as Json) as unknown as ObjectiveResult[],
  };
}

/** Every rollback, in order, whatever the previous one did; reverts never stop them, nor an abort. */
async function runRollbacks(ctx: RunContext, fail: (why: string) => void): Promise<void> {
  const never = new AbortController().signal;
  for (const step of ctx.experiment.rollbacks) {
    const record = await runActionStep(ctx, step, 'rollbacks', never);
    if (record.status !== 'succeeded') fail(`rollback "${step.name}" failed: ${record.message}`);
  }
}

function exitCodeOf(status: RunStatus): ExitCode {
  switch (status) {
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

/**
 * Running a game day: the plan's experiments in order, in-process through runExperiment, each into its own run
 * folder inside the game-day folder, with the stop policy, blackout windows, a lock against overlapping game days
 * and the operator's signal (the current run reverts, the rest are "not run").
 */
import { mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ChaosError, ExitCode, messageOf } from '../errors.js';
import type { RunSubscriber } from '../engine/events.js';
import type { HeldLocks, Holder, LivenessHandle, StateBackend } from '../state/backend.js';
import { stateBackendOf } from '../state/file-backend.js';
import { LivenessJudge } from '../state/liveness.js';
import type { LiveProgress } from '../engine/observers/live-progress.js';
import { identifyProcess } from '../os/process-identity.js';
import { newRunId, runExperiment, type Invocation } from '../engine/run.js';
import type { Registry } from '../plugins/registry.js';
import { REPORT_FORMATS, writeReportsFromJournal } from '../report/write-reports.js';
import { activeBlackout, describeBlackout, type ActiveBlackout } from './blackout.js';
import type { LoadedPlan, PlannedRun } from './load-plan.js';
import { resilienceScore, verdictOf, worstExitCode, type ExperimentOutcome, type GamedayResult } from './gameday-result.js';

export interface GamedayOptions {
  registry: Registry;
  stateDir: string;
  /** Where ledgers, locks and liveness live (`--state`); default: the file backend on `stateDir`. */
  state?: StateBackend;
  /** Where `{ env: VAR }` secrets of a dead run are read from (`safety.autoRecover`). */
  env?: Record<string, string | undefined>;
  /** The game-day folder. */
  dir: string;
  invocation: Invocation;
  /** Aborting it stops the current run (its faults are reverted) and runs nothing after it. */
  signal?: AbortSignal;
  force?: boolean;
  confirmProduction?: boolean;
  /** Subscribers for one run (the console reporter); called once per run. */
  subscribersFor?: (run: PlannedRun, index: number) => RunSubscriber[];
  onProgress?: (progress: LiveProgress) => void;
  onSubscriberError?: (subscriber: string, event: string, error: unknown) => void;
  /** Game-day level lines for people ("starting 2/3 …", "not run: …"). */
  log?: (line: string) => void;
  /** The clock, for blackout checks. */
  now?: () => Date;
}

/** `20261126T201500Z-weekly-gameday` */
export function gamedayFolderName(name: string, at: Date): string {
  return `${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${name}`;
}

/**
 * Runs a loaded plan. Throws only when the game day cannot start (its lock is held by another live game day, the
 * folder cannot be written); everything that happens in a run is in its outcome.
 */
export async function runGameday(loaded: LoadedPlan, options: GamedayOptions): Promise<GamedayResult> {
  const { plan } = loaded;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const startedAt = now();
  const base = { name: plan.name, title: plan.title, plan: loaded.file, startedAt: startedAt.toISOString(), dir: options.dir };

  const blackout = activeBlackout(plan.blackouts, startedAt);
  if (blackout) {
    const why = `not started: blackout window ${describeBlackout(blackout)}`;
    const experiments = loaded.runs.map((run) => notRun(run, why));
    return { ...base, endedAt: now().toISOString(), exitCode: ExitCode.Ok, reason: why, blackout: describeBlackout(blackout), experiments, score: resilienceScore(experiments) };
  }

  const self = identifyProcess(options.invocation.pid);
  const state = stateBackendOf(options.state ?? options.stateDir);
  const holder: Holder = { runId: newRunId(`gameday-${plan.name}`, startedAt), host: options.invocation.host, pid: self.pid, pidStartTime: self.startTime };
  const events = {
    // The runs of the game day keep their own liveness: losing the game day's lock only lets another game day start.
    onLost: (why: string) => log(`warning: the game day's lock was lost (${why})`),
    onError: (error: unknown) => log(`warning: renewing the game day's lock failed: ${messageOf(error)}`),
  };
  let liveness: LivenessHandle | null = null;
  let lock: HeldLocks;
  try {
    liveness = await state.startLiveness(holder, events);
    lock = await state.acquireLocks([{ name: `gameday ${plan.name}`, key: `gameday:${plan.name}` }], holder, new LivenessJudge({ host: holder.host }), events);
  } catch (error) {
    await liveness?.stop().catch(() => undefined);
    if (error instanceof ChaosError && error.code === 'E_TARGET_LOCKED') {
      throw new ChaosError(`game day "${plan.name}" is already running (${error.message})`, {
        code: 'E_GAMEDAY_LOCKED', exitCode: ExitCode.Infrastructure, hint: 'wait for it to finish; game days of one plan never overlap', cause: error,
      });
    }
    throw error;
  }
  lock.warnings.forEach((w) => log(`warning: ${w}`));

  const experiments: ExperimentOutcome[] = [];
  try {
    await mkdir(options.dir, { recursive: true });
    let stopReason: string | null = null;
    for (const [index, run] of loaded.runs.entries()) {
      const position = `${index + 1}/${loaded.runs.length}`;
      if (stopReason === null && options.signal?.aborted) stopReason = 'the game day was stopped by the operator';
      const inBlackout: ActiveBlackout | null = stopReason === null ? activeBlackout(plan.blackouts, now()) : null;
      if (inBlackout) stopReason = `blackout window ${describeBlackout(inBlackout)}`;
      if (stopReason !== null) {
        log(`${position} ${run.name}: not run (${stopReason})`);
        experiments.push(notRun(run, stopReason));
        continue;
      }
      log(`${position} ${run.name}: ${run.loaded.experiment.title}`);
      const outcome = await runOne(run, index, options);
      experiments.push(outcome);
      log(`${position} ${run.name}: ${outcome.verdict} (exit ${outcome.exitCode}): ${outcome.reason}`);
      if (options.signal?.aborted) stopReason = 'the game day was stopped by the operator';
      else if (outcome.verdict !== 'passed' && plan.stopOn === 'first-failure') stopReason = `stopOn: first-failure (${run.name} ${outcome.verdict})`;
    }
  } finally {
    await lock.release();
    await liveness.stop();
  }
  const exitCode = worstExitCode(experiments.map((e) => e.exitCode));
  const ran = experiments.filter((e) => e.verdict !== 'not-run').length;
  const passed = experiments.filter((e) => e.verdict === 'passed').length;
  const reason = `${passed} of ${experiments.length} experiments passed${ran < experiments.length ? `, ${experiments.length - ran} not run` : ''}`;
  return { ...base, endedAt: now().toISOString(), exitCode, reason, blackout: null, experiments, score: resilienceScore(experiments) };
}

async function runOne(run: PlannedRun, index: number, options: GamedayOptions): Promise<ExperimentOutcome> {
  const runDir = join(options.dir, `${String(index + 1).padStart(2, '0')}-${run.name}`);
  const started = Date.now();
  const result = await runExperiment(run.loaded, {
    registry: options.registry,
    stateDir: options.stateDir,
    state: stateBackendOf(options.state ?? options.stateDir),
    ...(options.env ? { env: options.env } : {}),
    runDir,
    invocation: options.invocation,
    ...(options.signal ? { signal: options.signal } : {}),
    force: options.force ?? false,
    confirmProduction: options.confirmProduction ?? false,
    subscribers: options.subscribersFor?.(run, index) ?? [],
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.onSubscriberError ? { onSubscriberError: options.onSubscriberError } : {}),
  });
  const ended = Date.now();
  try {
    await writeReportsFromJournal(result.journalPath, runDir, REPORT_FORMATS);
  } catch (error) {
    options.log?.(`warning: the reports of ${run.name} could not be written: ${messageOf(error)}`);
  }
  return {
    name: run.name,
    title: run.loaded.experiment.title,
    file: run.file,
    weight: run.entry.weight,
    verdict: verdictOf(result.exitCode),
    exitCode: result.exitCode,
    reason: result.reason,
    startedAt: new Date(started).toISOString(),
    endedAt: new Date(ended).toISOString(),
    durationMs: ended - started,
    runDir: relative(options.dir, runDir),
    objectives: result.objectives,
  };
}

function notRun(run: PlannedRun, reason: string): ExperimentOutcome {
  return {
    name: run.name, title: run.loaded.experiment.title, file: run.file, weight: run.entry.weight, verdict: 'not-run', exitCode: null,
    reason, startedAt: null, endedAt: null, durationMs: null, runDir: null, objectives: [],
  };
}

/**
 * The scheduler behind `chaos schedule`: waits for each tick of the plan's cron expression (croner, in the plan's
 * time zone) and starts a game day, unless one is still running (no overlap: the tick is skipped and logged; across
 * processes the game day's own lock file does the same) or the tick falls in a blackout window (skipped and logged,
 * with the window). On the operator's signal it stops scheduling; a game day in progress gets the same signal, so
 * its current run reverts, and the scheduler waits for it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Cron } from 'croner';
import { ChaosError, ExitCode, messageOf } from '../errors.js';
import { activeBlackout, describeBlackout } from '../gameday/blackout.js';
import { worstExitCode } from '../gameday/gameday-result.js';
import type { Blackout } from '../gameday/plan-schema.js';

export interface SchedulerOptions {
  cron: string;
  timezone: string;
  blackouts: readonly Blackout[];
  signal: AbortSignal;
  /** Stop after this many game days have run (skipped ticks do not count). */
  maxRuns?: number;
  /** Runs one game day; resolves to its exit code. A ChaosError `E_GAMEDAY_LOCKED` means another one holds the lock. */
  runGameday: (tick: Date) => Promise<ExitCode>;
  log: (line: string) => void;
}

/** How many upcoming runs are shown at start. */
const SHOWN_NEXT_RUNS = 5;

export function upcomingRuns(cron: string, timezone: string, count: number, after?: Date): Date[] {
  return new Cron(cron, { paused: true, timezone }).nextRuns(count, after);
}

/**
 * Runs until the signal (exit 0, or the exit code of the game day it interrupted) or until `maxRuns` game days ran
 * (the most severe of their exit codes).
 */
export async function runScheduler(options: SchedulerOptions): Promise<ExitCode> {
  const { signal, log } = options;
  const cron = new Cron(options.cron, { paused: true, timezone: options.timezone });
  log(`schedule "${options.cron}" (${options.timezone}); next runs: ${upcomingRuns(options.cron, options.timezone, SHOWN_NEXT_RUNS).map((d) => d.toISOString()).join(', ')}`);

  let running: { tick: Date; done: Promise<ExitCode | null> } | null = null;
  const codes: ExitCode[] = [];
  let started = 0;
  while (!signal.aborted) {
    const next = cron.nextRun();
    if (next === null) {
      log('the cron expression has no further runs');
      break;
    }
    try {
      await sleep(Math.max(0, next.getTime() - Date.now()), undefined, { signal });
    } catch {
      break; // aborted
    }
    const tick = next.toISOString();
    if (running !== null) {
      log(`tick ${tick}: skipped: the game day started at ${running.tick.toISOString()} is still running (runs never overlap)`);
      continue;
    }
    const blackout = activeBlackout(options.blackouts, next);
    if (blackout !== null) {
      log(`tick ${tick}: skipped: blackout window ${describeBlackout(blackout)}`);
      continue;
    }
    started++;
    log(`tick ${tick}: starting game day ${started}${options.maxRuns === undefined ? '' : ` of ${options.maxRuns}`}`);
    const current = { tick: next, done: runOne(options, next) };
    running = current;
    void current.done.then((code) => {
      if (code !== null) codes.push(code);
      if (running === current) running = null;
      const upcoming = cron.nextRun();
      if (!signal.aborted && upcoming !== null && (options.maxRuns === undefined || started < options.maxRuns)) log(`next run: ${upcoming.toISOString()}`);
    });
    if (options.maxRuns !== undefined && started >= options.maxRuns) {
      if ((await current.done) !== null) break;
      started--; // skipped because of the lock: not a run
    }
  }
  if (running !== null) {
    log('stopping: waiting for the current game day to revert and finish');
    const code = await running.done;
    log('stopped');
    return code ?? ExitCode.Ok;
  }
  if (signal.aborted) {
    log('stopped');
    return ExitCode.Ok;
  }
  return worstExitCode(codes);
}

/** One game day; a lock held by another process skips the tick (resolves null). */
async function runOne(options: SchedulerOptions, tick: Date): Promise<ExitCode | null> {
  try {
    return await options.runGameday(tick);
  } catch (error) {
    if (error instanceof ChaosError && error.code === 'E_GAMEDAY_LOCKED') {
      options.log(`tick ${tick.toISOString()}: skipped: ${error.message}`);
      return null;
    }
    options.log(`tick ${tick.toISOString()}: the game day could not run: ${messageOf(error)}`);
    return error instanceof ChaosError ? error.exitCode : ExitCode.Failed;
  }
}

/**
 * Progress on the terminal: phases, activities with their verdicts, faults injected and reverted, elapsed time.
 * A subscriber of the engine's events like the journal; it only formats.
 */
import { formatDuration } from '../units/duration.js';
import type { ActivityRecord, RunSubscriber } from '../engine/events.js';
import type { Output } from './io.js';
import type { LiveProgress } from '../engine/observers/live-progress.js';

/** A progress line every this often (lines, not a redrawn status bar: other output interleaves with it). */
const PROGRESS_EVERY_MS = 5_000;

/**
 * Live load figures for a terminal: req/s, errors, p95, active faults, elapsed and remaining time. The engine
 * reports every second; a line is printed every PROGRESS_EVERY_MS.
 */
export function progressPrinter(out: Output): (p: LiveProgress) => void {
  let lastPrinted = 0;
  return (p) => {
    if (p.elapsedMs - lastPrinted < PROGRESS_EVERY_MS) return;
    lastPrinted = p.elapsedMs;
    const p95 = p.p95Ms === null ? '–' : `${p.p95Ms.toFixed(1)}ms`;
    const faults = p.activeFaults.length === 0 ? 'no fault active' : `faults: ${p.activeFaults.join(', ')}`;
    const remaining = p.remainingMs === null ? '' : ` · ~${formatDuration(p.remainingMs)} left`;
    const errors = p.errorsPerSecond > 0 ? out.red(`${p.errorsPerSecond} err/s`) : '0 err/s';
    out.info(out.dim(`  ⋯ ${p.requestsPerSecond} req/s · ${errors} (${p.totalErrors} total) · p95 ${p95} · ${faults} · ${formatDuration(p.elapsedMs)} elapsed${remaining}`));
  };
}

const PHASE_TITLES: Record<string, string> = {
  connect: 'Connecting targets',
  'steady-state-before': 'Steady state before',
  observers: 'Starting observers',
  method: 'Method',
  revert: 'Reverting faults',
  rollbacks: 'Rollbacks',
  'steady-state-after': 'Steady state after',
  objectives: 'Objectives',
};

/** In CI mode (out.ci) the phase headings are left out: one line per step, fault, revert and verdict. */
export function consoleReporter(out: Output): RunSubscriber {
  let started = Date.now();
  const elapsed = () => out.dim(`[${formatDuration(Math.max(0, Date.now() - started))}]`.padEnd(8));
  const mark = (a: ActivityRecord) => {
    switch (a.status) {
      case 'succeeded':
        return out.green('✓');
      case 'aborted':
      case 'skipped':
        return out.yellow('-');
      default:
        return out.red('✗');
    }
  };
  return {
    name: 'console',
    'run:start': (e) => {
      started = Date.parse(e.startedAt);
      out.info(`${out.bold(e.experiment.title)} ${out.dim(`(${e.experiment.name}, run ${e.runId})`)}`);
    },
    phase: (e) => {
      const title = PHASE_TITLES[e.phase];
      if (title && !out.ci) out.info(`${elapsed()} ${out.bold(title)}`);
    },
    'activity:end': ({ activity: a }) => {
      const what = a.kind === 'revert' ? `revert ${a.name}` : a.name;
      const status = a.status === 'succeeded' ? '' : ` ${a.status}:`;
      out.info(`${elapsed()}   ${mark(a)} ${what}${status} ${out.dim(a.message)} ${out.dim(`(${formatDuration(a.durationMs)})`)}`);
    },
    abort: (e) => out.error(out.yellow(`aborting: ${e.reason}; reverting every fault`)),
    log: (e) => {
      if (e.level === 'warn' || e.level === 'error') out.error(out.yellow(`warning: ${e.message}`));
      else if (e.level === 'debug') out.debug(e.message);
    },
  };
}

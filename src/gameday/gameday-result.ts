/**
 * What a game day produced: one outcome per planned experiment (run or not), the game day's exit code (the most
 * severe of its runs) and the resilience score. Reports and notifications render this; they never compute.
 */
import { ExitCode } from '../errors.js';
import type { ObjectiveResult } from '../measure/objective-result.js';

export type RunVerdict = 'passed' | 'failed' | 'aborted' | 'revert-failed' | 'infrastructure-error' | 'not-run';

export interface ExperimentOutcome {
  /** The name reports use (the plan entry's `name`, else the experiment's). */
  name: string;
  title: string;
  /** The experiment file, relative to the current directory. */
  file: string;
  weight: number;
  verdict: RunVerdict;
  /** null when not run. */
  exitCode: ExitCode | null;
  /** Why the run ended as it did, or why it was not run. */
  reason: string;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  /** The run folder relative to the game-day folder (null when not run). */
  runDir: string | null;
  objectives: ObjectiveResult[];
}

export interface GamedayResult {
  name: string;
  title: string;
  plan: string;
  startedAt: string;
  endedAt: string;
  /** The game-day folder (absolute). */
  dir: string;
  exitCode: ExitCode;
  /** One sentence for people. */
  reason: string;
  /** Set when the game day did not start because of a blackout window. */
  blackout: string | null;
  experiments: ExperimentOutcome[];
  score: ResilienceScore;
}

/**
 * Severity of a run's exit code, most severe first. A failed revert may leave the system faulted: it outranks
 * everything. A failed objective or hypothesis is the finding a game day exists for. An abort (guardrail, operator)
 * means the run did not finish its measurement. An infrastructure error means nothing was injected. So the game
 * day's exit code is not the largest number (5 would beat 1) but the most severe: 4 > 1 > 3 > 5 > 2 > 0. Runs not
 * run (stop policy, blackout, Ctrl-C) do not count.
 */
export const SEVERITY: readonly ExitCode[] = [
  ExitCode.RevertFailed,
  ExitCode.Failed,
  ExitCode.Aborted,
  ExitCode.Infrastructure,
  ExitCode.InvalidInput,
  ExitCode.Ok,
];

export function worstExitCode(codes: readonly (ExitCode | null)[]): ExitCode {
  let worst: ExitCode = ExitCode.Ok;
  for (const code of codes) {
    if (code !== null && SEVERITY.indexOf(code) < SEVERITY.indexOf(worst)) worst = code;
  }
  return worst;
}

export function verdictOf(code: ExitCode): RunVerdict {
  switch (code) {
    case ExitCode.Ok:
      return 'passed';
    case ExitCode.Aborted:
      return 'aborted';
    case ExitCode.RevertFailed:
      return 'revert-failed';
    case ExitCode.Infrastructure:
      return 'infrastructure-error';
    default:
      return 'failed';
  }
}

export const VERDICT_WORD: Record<RunVerdict, string> = {
  passed: 'PASSED',
  failed: 'FAILED',
  aborted: 'ABORTED',
  'revert-failed': 'REVERT FAILED',
  'infrastructure-error': 'INFRASTRUCTURE ERROR',
  'not-run': 'NOT RUN',
};

/** One experiment's share of the score. */
export interface ScoreTerm {
  name: string;
  weight: number;
  met: number;
  total: number;
  /** met / total, between 0 and 1. */
  share: number;
}

export interface ResilienceScore {
  /** Σ weight × share / Σ weight, between 0 and 1 (null for an empty plan). */
  value: number | null;
  terms: ScoreTerm[];
  /** How it was computed, for people: "(2×1/1 + 1×0/2) / 3 = 66.7%". */
  formula: string;
}

/**
 * The resilience score: the weighted share of objectives met. Each experiment's share is the fraction of its
 * objectives (SLO, RTO, RPO) that were met; an experiment without objectives counts its verdict as its one objective
 * (the hypothesis held, or not). An experiment that was not run met nothing (0 of 1): a stopped game day cannot
 * score better than a finished one.
 */
export function resilienceScore(outcomes: readonly ExperimentOutcome[]): ResilienceScore {
  const terms = outcomes.map((o): ScoreTerm => {
    const [met, total] =
      o.verdict === 'not-run' ? [0, 1]
      : o.objectives.length > 0 ? [o.objectives.filter((x) => x.passed).length, o.objectives.length]
      : [o.verdict === 'passed' ? 1 : 0, 1];
    return { name: o.name, weight: o.weight, met, total, share: met / total };
  });
  const weights = terms.reduce((sum, t) => sum + t.weight, 0);
  const value = weights === 0 ? null : terms.reduce((sum, t) => sum + t.weight * t.share, 0) / weights;
  const numerator = terms.map((t) => `${t.weight}×${t.met}/${t.total}`).join(' + ');
  const formula = value === null ? 'no experiments' : `(${numerator}) / ${weights} = ${formatScore(value)}`;
  return { value, terms, formula };
}

export function formatScore(value: number | null): string {
  return value === null ? '–' : `${(Math.round(value * 1000) / 10).toFixed(1)}%`;
}

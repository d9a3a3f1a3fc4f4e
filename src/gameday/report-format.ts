/**
 * How game-day reports write a run's RTO/RPO and duration: one place, so index.html, summary.md, junit.xml and the
 * notifications say the same thing.
 */
import { formatDuration, formatObjectiveValue, formatThreshold } from '../report/format.js';
import type { ExperimentOutcome } from './gameday-result.js';

/** "2.1s (objective ≤ 8s) met", or "–" when the experiment declares no such objective or did not run. */
export function objectiveCell(o: ExperimentOutcome, kind: 'rto' | 'rpo'): string {
  const objective = o.objectives.find((x) => x.kind === kind);
  if (!objective) return '–';
  return `${formatObjectiveValue(objective)} (objective ${formatThreshold(objective)}) ${objective.passed ? 'met' : 'not met'}`;
}

export function durationCell(o: ExperimentOutcome): string {
  return o.durationMs === null ? '–' : formatDuration(o.durationMs);
}

/** "3 of 4", for the objectives column. */
export function objectivesCell(o: ExperimentOutcome): string {
  if (o.verdict === 'not-run') return '–';
  if (o.objectives.length === 0) return 'none declared';
  return `${o.objectives.filter((x) => x.passed).length} of ${o.objectives.length} met`;
}

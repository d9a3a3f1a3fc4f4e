/**
 * The game day's `summary.md`: short enough for `$GITHUB_STEP_SUMMARY`, the same facts as index.html.
 */
import { escapeMarkdown, markdownCode, markdownTable } from '../report/markdown-escape.js';
import { formatScore, VERDICT_WORD, type GamedayResult } from './gameday-result.js';
import { durationCell, objectiveCell, objectivesCell } from './report-format.js';

export function renderGamedaySummary(result: GamedayResult): string {
  const icon = result.blackout !== null ? '⏸️' : result.exitCode === 0 ? '✅' : '❌';
  const rows = result.experiments.map((o, i) => [
    String(i + 1),
    escapeMarkdown(o.name),
    `${VERDICT_WORD[o.verdict]}${o.verdict === 'passed' ? '' : `: ${escapeMarkdown(o.reason)}`}`,
    durationCell(o),
    escapeMarkdown(objectiveCell(o, 'rto')),
    escapeMarkdown(objectiveCell(o, 'rpo')),
    objectivesCell(o),
    String(o.weight),
    o.runDir === null ? '–' : markdownCode(`${o.runDir}/report.html`),
  ]);
  return [
    `## ${icon} Game day: ${escapeMarkdown(result.title)}`,
    '',
    `${escapeMarkdown(result.reason)}. Exit code ${result.exitCode}. **Resilience score: ${formatScore(result.score.value)}**`,
    '',
    markdownTable(['#', 'experiment', 'verdict', 'duration', 'RTO (objective)', 'RPO (objective)', 'objectives', 'weight', 'report'], rows),
    '',
    `Score: weighted share of objectives met, ${markdownCode(result.score.formula)} (a run without objectives counts its verdict; a run not run counts 0).`,
    '',
  ].join('\n');
}

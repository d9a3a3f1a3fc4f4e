/**
 * The game day's `index.html`: self-contained (inline CSS, no scripts, no network), written for people who do not
 * read journals: the verdict in words, a table of the experiments with links to each run's own report, and the
 * resilience score with how it was computed.
 */
import { REPORT_CSS } from '../report/html-style.js';
import { html, SafeHtml } from '../report/html-escape.js';
import { formatScore, VERDICT_WORD, type ExperimentOutcome, type GamedayResult, type RunVerdict } from './gameday-result.js';
import { durationCell, objectiveCell, objectivesCell } from './report-format.js';
import { exitCodeMeaning } from '../errors.js';

const CSS_CLASS: Record<RunVerdict, string> = {
  passed: 'ok', failed: 'bad', aborted: 'bad', 'revert-failed': 'bad', 'infrastructure-error': 'bad', 'not-run': 'skip',
};

export function renderGamedayHtml(result: GamedayResult): string {
  const passed = result.exitCode === 0 && result.blackout === null;
  const verdictClass = result.blackout !== null ? 'aborted' : passed ? 'passed' : 'failed';
  const headline = result.blackout !== null ? 'NOT STARTED' : passed ? 'PASSED' : 'NEEDS ATTENTION';
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Game day: ${result.title}</title>
<style>${rawCss()}</style>
</head>
<body>
<h1>Game day: ${result.title}</h1>
<p class="meta">${result.name} · plan <code>${result.plan}</code> · ${result.startedAt} → ${result.endedAt}</p>
<div class="verdict ${verdictClass}">
  <span class="word">${headline}</span>
  <p>${result.reason}. Exit code ${result.exitCode}: ${exitCodeMeaning[result.exitCode]}.</p>
  <p><strong>Resilience score: ${formatScore(result.score.value)}</strong></p>
</div>
<h2>Experiments</h2>
<div class="table-wrap"><table id="experiments">
<thead><tr><th>#</th><th>Experiment</th><th>Verdict</th><th>Duration</th><th>RTO measured (objective)</th><th>RPO measured (objective)</th><th>Objectives</th><th>Weight</th><th>Report</th></tr></thead>
<tbody>
${result.experiments.map((o, i) => row(o, i))}
</tbody>
</table></div>
<h2>How the resilience score is computed</h2>
<p>Each experiment scores the share of its objectives (SLO, RTO, RPO) that were met; an experiment without objectives
scores 1 if it passed and 0 if not; an experiment that was not run scores 0. The score is the average of these shares,
weighted by the weights declared in the plan.</p>
<p><code>${result.score.formula}</code></p>
<h2>What the verdicts mean</h2>
<ul>
<li><strong>PASSED</strong>: the system stayed healthy and met every objective while the faults were injected; every fault was reverted.</li>
<li><strong>FAILED</strong>: the system did not hold its steady state or missed an objective: a finding to follow up.</li>
<li><strong>ABORTED</strong>: the run was stopped early (a safety guardrail or the operator); every fault was reverted.</li>
<li><strong>REVERT FAILED</strong>: a fault could not be undone: the system may still be degraded; run <code>chaos recover</code>.</li>
<li><strong>INFRASTRUCTURE ERROR</strong>: the run could not start (a target unreachable); nothing was injected.</li>
<li><strong>NOT RUN</strong>: skipped (the plan stops at the first failure, a blackout window, or the game day was stopped).</li>
</ul>
</body>
</html>
`;
  return page.html;
}

function row(o: ExperimentOutcome, index: number): SafeHtml {
  const report = o.runDir === null ? html`–` : html`<a href="${`${o.runDir}/report.html`}">report</a>`;
  return html`<tr class="experiment"><td>${index + 1}</td><td><strong>${o.name}</strong><br><span class="meta">${o.title}</span></td>
<td class="verdict-cell ${CSS_CLASS[o.verdict]}" data-verdict="${o.verdict}">${VERDICT_WORD[o.verdict]}<br><span class="meta">${o.reason}</span></td>
<td>${durationCell(o)}</td><td>${objectiveCell(o, 'rto')}</td><td>${objectiveCell(o, 'rpo')}</td><td>${objectivesCell(o)}</td><td>${o.weight}</td><td>${report}</td></tr>\n`;
}

/** Our own stylesheet, not user data: inserted as is (escaping would turn its quotes into entities). */
function rawCss(): SafeHtml {
  return new SafeHtml(REPORT_CSS);
}

/**
 * `report.html`: one self-contained file: inline CSS and SVG, no script, no font, no image, and a Content Security
 * Policy that forbids every request, so opening it never touches the network. Reads only the JournalView.
 */
import { stringify } from 'yaml';
import type { ActivityRecord } from '../engine/events.js';
import { timelineCharts } from './chart-series.js';
import {
  formatDuration,
  formatObjectiveValue,
  formatThreshold,
  oneLine,
  plainVerdict,
  spanMs,
  STATUS_WORD,
} from './format.js';
import { html, SafeHtml } from './html-escape.js';
import { REPORT_CSS } from './html-style.js';
import type { JournalView } from './journal-view.js';
import { LOAD_COLUMNS, loadTable } from './load-table.js';
import { renderLineChart } from './svg-chart.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const mark = (ok: boolean | null) =>
  ok === null ? html`<td class="mark skip" title="not run">–</td>` : ok ? html`<td class="mark ok" title="passed">✓</td>` : html`<td class="mark bad" title="failed">✗</td>`;

export function renderHtml(view: JournalView): string {
  const { experiment } = view;
  const duration = spanMs(view.startedAt, view.endedAt);
  const body = html`
<header>
  <h1>${experiment.title}</h1>
  <div class="meta">Experiment <code>${experiment.name}</code> · run <code>${view.runId}</code> · ${view.startedAt}${duration === null ? '' : ` · took ${formatDuration(duration)}`}</div>
  <section class="verdict ${view.status}" id="verdict">
    <div class="word">${STATUS_WORD[view.status]}</div>
    <p>${plainVerdict(view)}</p>
    <p class="meta">Why: ${view.reason}${view.exitCode === null ? '' : ` (exit code ${view.exitCode})`}</p>
  </section>
  ${experiment.description ? html`<p>${experiment.description}</p>` : ''}
</header>
${chartsSection(view)}
${objectivesSection(view)}
${loadSection(view)}
${steadySection(view)}
${faultsSection(view)}
${activitiesSection(view.activities)}
${view.warnings.length > 0 ? html`<h2>Warnings</h2><ul>${view.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : ''}
<h2>The experiment as it ran</h2>
<p class="meta">File <code>${view.source.path}</code> (sha256 <code>${view.source.sha256}</code>), run by ${view.invocation.user} on ${view.invocation.host} with chaosdrill ${view.invocation.version}: <code>${view.invocation.argv.join(' ')}</code></p>
<details><summary>Resolved experiment (secrets redacted)</summary><pre>${stringify(experiment, { lineWidth: 0 })}</pre></details>
`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html`${STATUS_WORD[view.status]}: ${experiment.title}`}</title>
<style>${REPORT_CSS}</style>
</head>
<body>${body}</body>
</html>
`;
}

function chartsSection(view: JournalView): SafeHtml | string {
  const charts = timelineCharts(view);
  if (charts === null) return '';
  const common = { durationSeconds: charts.durationSeconds, bucketSeconds: charts.bucketSeconds, faultWindows: charts.faultWindows, rto: charts.rto, marks: charts.lostWrites };
  const figures = [
    renderLineChart({ id: 'chart-throughput', title: 'Throughput', unit: 'requests per second', series: charts.throughput, ...common }),
    renderLineChart({ id: 'chart-errors', title: 'Error rate', unit: '% of requests that failed', series: charts.errorRate, yMax: 100, ...common }),
    renderLineChart({ id: 'chart-latency', title: 'Latency', unit: 'milliseconds, p50 / p95 / p99', series: charts.latency, ...common }),
  ];
  const notes: SafeHtml[] = [];
  if (charts.rto) notes.push(html`<li>The black bar marks the RTO: from the fault (t0) to the recovery.</li>`);
  if (charts.lostWrites.length > 0) notes.push(html`<li>Dashed red lines mark the oldest and newest lost write (when they were acknowledged).</li>`);
  return html`<h2>What happened over time</h2>
<p class="meta">Shaded areas: a fault was active. Values per ${formatDuration(charts.bucketSeconds * 1000)} bucket, seconds from the start of load.</p>
${notes.length > 0 ? html`<ul class="meta">${notes}</ul>` : ''}
<div class="charts">${new SafeHtml(figures.join(''))}</div>`;
}

function objectivesSection(view: JournalView): SafeHtml | string {
  if (view.objectives.length === 0) return '';
  const rows = view.objectives.map(
    (o) => html`<tr data-objective="${o.name}">${mark(o.passed)}<td>${o.kind === 'slo' ? `SLO: ${o.name}` : o.name.toUpperCase()}</td><td>${formatObjectiveValue(o)}</td><td>${formatThreshold(o)}</td><td>${o.uncertainty ?? ''}</td><td>${o.message}</td></tr>`,
  );
  return html`<h2>Objectives</h2><div class="table-wrap"><table><thead><tr><th></th><th>objective</th><th>measured</th><th>threshold</th><th>precision</th><th>what it means</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function loadSection(view: JournalView): SafeHtml | string {
  const load = loadTable(view);
  if (load === null) return '';
  const head = LOAD_COLUMNS.map((c) => html`<th>${c}</th>`);
  const rows = load.rows.map((r) => html`<tr data-window="${r[0]}">${r.map((cell) => html`<td>${cell}</td>`)}</tr>`);
  return html`<h2>Load</h2><p class="meta">${load.model}</p>${load.caveat ? html`<p class="meta"><strong>${load.caveat}</strong></p>` : ''}
<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

function steadySection(view: JournalView): SafeHtml {
  const rows: SafeHtml[] = [];
  for (const when of ['before', 'after'] as const) {
    const state = view.steadyState[when];
    if (state === null) rows.push(html`<tr>${mark(null)}<td>${when}</td><td></td><td>not checked</td></tr>`);
    else if (state.probes.length === 0) rows.push(html`<tr>${mark(state.held)}<td>${when}</td><td></td><td>no probes</td></tr>`);
    else for (const p of state.probes) rows.push(html`<tr data-probe="${p.name}">${mark(p.status === 'succeeded')}<td>${when}</td><td>${p.name}</td><td>${p.message}</td></tr>`);
  }
  return html`<h2>Steady state (is the system healthy?)</h2><div class="table-wrap"><table><thead><tr><th></th><th>when</th><th>probe</th><th>result</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function faultsSection(view: JournalView): SafeHtml | string {
  if (view.faults.length === 0) return '';
  const rows = view.faults.map((f) => {
    const active = spanMs(f.injectedAt, f.revertedAt);
    const revert = f.revertOk === null ? 'no revert recorded' : f.revertOk ? 'undone' : `revert failed: ${f.revertError ?? ''}`;
    return html`<tr>${mark(f.revertOk)}<td>${f.name}</td><td><code>${f.type}</code></td><td>${f.target}</td><td>${f.injectedAt}</td><td>${active === null ? '' : formatDuration(active)}</td><td>${revert}</td></tr>`;
  });
  return html`<h2>Faults injected</h2><div class="table-wrap"><table><thead><tr><th></th><th>fault</th><th>type</th><th>target</th><th>injected at</th><th>active for</th><th>revert</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function activitiesSection(activities: readonly ActivityRecord[]): SafeHtml | string {
  if (activities.length === 0) return '';
  const rows = activities.map(
    (a) =>
      html`<tr>${mark(a.status === 'skipped' ? null : a.status === 'succeeded')}<td>${a.kind === 'revert' ? `revert ${a.name}` : a.name}</td><td>${a.kind}</td><td>${a.section}</td><td>${a.startedAt}</td><td>${formatDuration(a.durationMs)}</td><td>${a.message}${a.error ? html`<br><small>${oneLine(a.error, 300)}</small>` : ''}</td></tr>`,
  );
  return html`<h2>Every step</h2><div class="table-wrap"><table><thead><tr><th></th><th>step</th><th>kind</th><th>section</th><th>started</th><th>took</th><th>result</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

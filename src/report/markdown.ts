/**
 * `report.md`: GitHub-flavoured Markdown, short enough for a job summary ($GITHUB_STEP_SUMMARY). Reads only the
 * JournalView.
 */
import type { ActivityRecord } from '../engine/events.js';
import {
  activityMark,
  formatDuration,
  formatObjectiveValue,
  formatThreshold,
  plainVerdict,
  spanMs,
  STATUS_WORD,
} from './format.js';
import type { JournalView, SteadyStateView } from './journal-view.js';
import { LOAD_COLUMNS, loadTable } from './load-table.js';
import { escapeMarkdown as esc, markdownCode as code, markdownTable as table } from './markdown-escape.js';

export function renderMarkdown(view: JournalView): string {
  const { experiment } = view;
  const icon = view.status === 'passed' ? '✅' : view.status === 'aborted' ? '⚠️' : '❌';
  const duration = spanMs(view.startedAt, view.endedAt);
  const parts: string[] = [
    `## ${icon} ${STATUS_WORD[view.status]}: ${esc(experiment.title)}`,
    esc(plainVerdict(view)),
    `**Why:** ${esc(view.reason)}${view.exitCode === null ? '' : ` (exit ${view.exitCode})`}`,
    [
      `- Experiment: ${code(experiment.name)} from ${code(view.source.path)} (sha256 ${code(view.source.sha256.slice(0, 12))})`,
      `- Run: ${code(view.runId)}, started ${view.startedAt}${duration === null ? '' : `, took ${formatDuration(duration)}`}`,
      `- By ${esc(view.invocation.user)} on ${esc(view.invocation.host)} with chaosdrill ${esc(view.invocation.version)}`,
    ].join('\n'),
  ];

  if (view.objectives.length > 0) {
    parts.push('### Objectives');
    parts.push(
      table(
        ['', 'objective', 'measured', 'threshold', 'precision', 'details'],
        view.objectives.map((o) => [
          o.passed ? '✅' : '❌',
          esc(o.kind === 'slo' ? `SLO ${o.name}` : o.name.toUpperCase()),
          esc(formatObjectiveValue(o)),
          esc(formatThreshold(o)),
          esc(o.uncertainty ?? ''),
          esc(o.message),
        ]),
      ),
    );
  }

  const load = loadTable(view);
  if (load) {
    parts.push('### Load');
    parts.push(`${esc(load.model)}${load.caveat ? `\n\n> ${esc(load.caveat)}` : ''}`);
    parts.push(table([...LOAD_COLUMNS], load.rows.map((r) => r.map(esc))));
  }

  parts.push('### Steady state');
  parts.push(
    table(
      ['', 'when', 'probe', 'result'],
      [...steadyRows('before', view.steadyState.before), ...steadyRows('after', view.steadyState.after)],
    ),
  );

  if (view.faults.length > 0) {
    parts.push('### Faults');
    parts.push(
      table(
        ['', 'fault', 'type', 'target', 'active for', 'revert'],
        view.faults.map((f) => {
          const active = spanMs(f.injectedAt, f.revertedAt);
          const revert = f.revertOk === null ? 'not reverted in this journal' : f.revertOk ? 'reverted' : `failed: ${f.revertError ?? ''}`;
          return [f.revertOk === true ? '✅' : '❌', esc(f.name), code(f.type), esc(f.target), active === null ? '' : formatDuration(active), esc(revert)];
        }),
      ),
    );
  }

  const steps = view.activities;
  if (steps.length > 0) {
    parts.push('### Method, reverts and rollbacks');
    parts.push(table(['', 'step', 'kind', 'section', 'took', 'result'], steps.map(activityRow)));
  }

  if (view.abort) parts.push(`> **Aborted** (${esc(view.abort.kind)}): ${esc(view.abort.reason)}`);
  if (view.warnings.length > 0) {
    parts.push('<details><summary>Warnings</summary>\n');
    parts.push(view.warnings.map((w) => `- ${esc(w)}`).join('\n'));
    parts.push('</details>');
  }
  return `${parts.join('\n\n')}\n`;
}

function steadyRows(when: 'before' | 'after', state: SteadyStateView | null): string[][] {
  if (state === null) return [['–', when, '', 'not checked']];
  if (state.probes.length === 0) return [[state.held ? '✅' : '❌', when, '', state.held ? 'no probes: held' : 'did not hold']];
  return state.probes.map((p) => [p.status === 'succeeded' ? '✅' : '❌', when, esc(p.name), esc(p.message)]);
}

function activityRow(a: ActivityRecord): string[] {
  return [activityMark(a.status), esc(a.kind === 'revert' ? `revert ${a.name}` : a.name), a.kind, esc(a.section), formatDuration(a.durationMs), esc(a.message)];
}

/**
 * `runbook.md`: the DR runbook verification report, for an auditor or an on-call lead to sign.
 *
 * A runbook step is matched with what the run did by name: the activities (method steps, probes, actions, and the
 * step's own check, run by src/engine/runbook-checks.ts in section `runbook`) whose
 * name is the step's `id` are its evidence: observed outcome, start, duration. A step nothing in the run is named
 * after is reported as "not observed" (or, when it is `manual`, as left for a person to confirm), never as passed. RTO and RPO come from the objectives, as measured.
 */
import { formatDuration, formatObjectiveValue, formatThreshold, plainVerdict, STATUS_WORD } from './format.js';
import type { JournalView } from './journal-view.js';
import { escapeMarkdown as esc, markdownCode as code, markdownTable as table } from './markdown-escape.js';
import type { RunbookStep } from '../experiment/types.js';

/** Journals written before the key became `expected` hold it as `expect`: their reports render the same again. */
function expectedOf(step: RunbookStep & { expect?: string | null }): string | null {
  return step.expected ?? step.expect ?? null;
}

export function renderRunbook(view: JournalView): string {
  const runbook = view.experiment.runbook;
  if (runbook === null) throw new Error('renderRunbook: the experiment has no runbook');
  const rows = runbook.steps.map((step, index) => {
    const evidence = view.activities.filter((a) => a.name === step.id && a.kind !== 'revert');
    const expected = [step.say, expectedOf(step) ? `expected: ${expectedOf(step)}` : '', step.check ? `check: ${step.check.type}` : ''].filter(Boolean).join('; ');
    if (evidence.length === 0 && step.manual) return [String(index + 1), code(step.id), esc(expected), '👤 manual: for a person to confirm', '', ''];
    if (evidence.length === 0) return [String(index + 1), code(step.id), esc(expected), '⬜ not observed: no step of the run has this name', '', ''];
    const ok = evidence.every((a) => a.status === 'succeeded');
    // The runbook's own check (section `runbook`) says what was observed; a method step of that name, what was done.
    const observed = evidence.map((a) => `${a.section === 'runbook' ? 'check ' : ''}${a.status}: ${a.message}`).join('; ');
    const took = evidence.reduce((sum, a) => sum + a.durationMs, 0);
    return [String(index + 1), code(step.id), esc(expected), `${ok ? '✅' : '❌'} ${esc(observed)}`, evidence[0].startedAt, formatDuration(took)];
  });
  const recovery = view.objectives.filter((o) => o.kind === 'rto' || o.kind === 'rpo');
  const parts = [
    `# DR runbook verification: ${esc(runbook.name)}`,
    `**${STATUS_WORD[view.status]}** — ${esc(plainVerdict(view))}`,
    `Experiment ${code(view.experiment.name)} (${code(view.source.path)}, sha256 ${code(view.source.sha256)}), run ${code(view.runId)} ` +
      `started ${view.startedAt}${view.endedAt ? `, finished ${view.endedAt}` : ', did not finish'}, by ${esc(view.invocation.user)} on ${esc(view.invocation.host)}.`,
    '## Steps',
    table(['#', 'step', 'expected', 'observed', 'started', 'took'], rows),
    '## Recovery objectives',
    recovery.length === 0
      ? '_The experiment declares no RTO or RPO objective._'
      : table(
          ['', 'objective', 'declared', 'measured', 'precision', 'evidence'],
          recovery.map((o) => [o.passed ? '✅' : '❌', o.name.toUpperCase(), esc(formatThreshold(o)), esc(formatObjectiveValue(o)), esc(o.uncertainty ?? ''), esc(o.message)]),
        ),
    `Outcome: ${esc(view.reason)}. The journal (${code('journal.json')}, hash-chained; check it with ${code('chaos journal verify')}) holds every measurement.`,
    '## Sign-off',
    table(['role', 'name', 'signature', 'date'], [['Executed by', '', '', ''], ['Reviewed by', '', '', ''], ['Approved by', '', '', '']]),
  ];
  return `${parts.join('\n\n')}\n`;
}

/**
 * `junit.xml`, shaped the way CI systems read it (Jenkins, GitLab, GitHub test reporters):
 * testsuites > testsuite (one per experiment) > testcase, with `failure` (a check that failed: message says the
 * measured value and the threshold), `error` (the run itself broke) or `skipped`. One test case per steady-state
 * probe (before and after), per objective, and per revert.
 */
import type { ActivityRecord } from '../engine/events.js';
import { formatObjectiveValue, formatThreshold, spanMs } from './format.js';
import type { JournalView } from './journal-view.js';
import { escapeXml, escapeXmlAttribute as attr } from './xml-escape.js';

interface TestCase {
  classname: string;
  name: string;
  timeMs: number;
  outcome: { kind: 'failure' | 'error'; type: string; message: string; detail: string } | { kind: 'skipped'; message: string } | null;
}

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

export function renderJunit(view: JournalView): string {
  const suite = view.experiment.name;
  const cases: TestCase[] = [];

  for (const when of ['before', 'after'] as const) {
    const state = view.steadyState[when];
    const classname = `${suite}.steadyState.${when}`;
    if (state === null) {
      if (view.experiment.steadyState.length > 0) {
        for (const step of view.experiment.steadyState) {
          cases.push({ classname, name: step.name, timeMs: 0, outcome: { kind: 'skipped', message: `steady state ${when} was not checked` } });
        }
      }
      continue;
    }
    for (const probe of state.probes) cases.push(activityCase(classname, probe.name, probe, 'probe'));
  }

  for (const o of view.objectives) {
    const name = o.kind === 'slo' ? `slo ${o.name}` : o.name;
    const measured = `measured ${formatObjectiveValue(o)}, threshold ${formatThreshold(o)}`;
    cases.push({
      classname: `${suite}.objectives`,
      name,
      timeMs: 0,
      outcome: o.passed
        ? null
        : { kind: 'failure', type: `objective.${o.kind}`, message: `${measured}: ${o.message}`, detail: `${o.message}\nuncertainty: ${o.uncertainty ?? 'n/a'}\nevidence: ${JSON.stringify(o.evidence, null, 2)}` },
    });
  }

  const reverts = view.activities.filter((a) => a.kind === 'revert');
  for (const fault of view.faults) {
    const revert = reverts.find((r) => r.name === fault.name && r.endedAt === fault.revertedAt) ?? reverts.find((r) => r.name === fault.name);
    const classname = `${suite}.reverts`;
    const name = `revert ${fault.name}`;
    if (fault.revertOk === null) {
      cases.push({
        classname,
        name,
        timeMs: 0,
        outcome: { kind: 'failure', type: 'revert', message: `no revert of "${fault.name}" is recorded: the system may still be faulted; run \`chaos recover\``, detail: `${fault.type} on ${fault.target}, injected at ${fault.injectedAt}` },
      });
    } else if (revert) {
      cases.push(activityCase(classname, name, revert, 'revert'));
    } else {
      cases.push({ classname, name, timeMs: 0, outcome: fault.revertOk ? null : { kind: 'failure', type: 'revert', message: fault.revertError ?? 'revert failed', detail: '' } });
    }
  }

  if (view.status === 'infrastructure-error' || view.status === 'invalid-input' || view.status === 'unfinished') {
    cases.push({ classname: `${suite}.run`, name: 'run', timeMs: 0, outcome: { kind: 'error', type: view.status, message: view.reason, detail: view.reason } });
  }

  const count = (kind: string) => cases.filter((c) => c.outcome?.kind === kind).length;
  const totals = `tests="${cases.length}" failures="${count('failure')}" errors="${count('error')}" skipped="${count('skipped')}"`;
  const runMs = spanMs(view.startedAt, view.endedAt) ?? 0;
  const properties = [
    ['run.id', view.runId],
    ['run.status', view.status],
    ['run.exitCode', view.exitCode === null ? '' : String(view.exitCode)],
    ['run.reason', view.reason],
    ['experiment.title', view.experiment.title],
    ['experiment.file', view.source.path],
    ['experiment.sha256', view.source.sha256],
    ['chaosdrill.version', view.invocation.version],
  ];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="chaosdrill" ${totals} time="${seconds(runMs)}">`,
    `  <testsuite name="${attr(suite)}" ${totals} time="${seconds(runMs)}" timestamp="${attr(view.startedAt.replace(/\.\d+Z$/, 'Z').replace(/Z$/, ''))}" hostname="${attr(view.invocation.host)}">`,
    '    <properties>',
    ...properties.map(([name, value]) => `      <property name="${attr(name)}" value="${attr(value)}"/>`),
    '    </properties>',
    ...cases.flatMap(caseXml),
    '  </testsuite>',
    '</testsuites>',
  ];
  return `${lines.join('\n')}\n`;
}

function activityCase(classname: string, name: string, a: ActivityRecord, type: string): TestCase {
  if (a.status === 'succeeded') return { classname, name, timeMs: a.durationMs, outcome: null };
  if (a.status === 'skipped') return { classname, name, timeMs: a.durationMs, outcome: { kind: 'skipped', message: a.message } };
  const detail = [a.message, a.error ?? '', a.output === null ? '' : `output: ${JSON.stringify(a.output, null, 2)}`].filter(Boolean).join('\n');
  return { classname, name, timeMs: a.durationMs, outcome: { kind: 'failure', type: `${type}.${a.status}`, message: a.message, detail } };
}

function caseXml(c: TestCase): string[] {
  const open = `    <testcase classname="${attr(c.classname)}" name="${attr(c.name)}" time="${seconds(c.timeMs)}"`;
  if (c.outcome === null) return [`${open}/>`];
  if (c.outcome.kind === 'skipped') return [`${open}>`, `      <skipped message="${attr(c.outcome.message)}"/>`, '    </testcase>'];
  const { kind, type, message, detail } = c.outcome;
  return [`${open}>`, `      <${kind} message="${attr(message)}" type="${attr(type)}">${escapeXml(detail)}</${kind}>`, '    </testcase>'];
}

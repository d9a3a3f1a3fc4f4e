/**
 * The game day's `junit.xml`: one `<testsuite>` per experiment of the plan, so a CI test reporter shows the game
 * day as a list of experiments. Each suite has one test case per objective (failure when not met) and one for the
 * run's verdict (failure when it failed, error when it could not finish, skipped when it was not run).
 */
import { formatObjectiveValue, formatThreshold } from '../report/format.js';
import { escapeXml, escapeXmlAttribute as attr } from '../report/xml-escape.js';
import { VERDICT_WORD, type ExperimentOutcome, type GamedayResult } from './gameday-result.js';

const seconds = (ms: number | null) => ((ms ?? 0) / 1000).toFixed(3);

export function renderGamedayJunit(result: GamedayResult): string {
  const suites = result.experiments.map((o) => suite(result.name, o));
  const count = (tag: string) => suites.reduce((n, s) => n + s.counts[tag as keyof typeof s.counts], 0);
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="${attr(result.name)}" tests="${count('tests')}" failures="${count('failures')}" errors="${count('errors')}" skipped="${count('skipped')}" time="${seconds(Date.parse(result.endedAt) - Date.parse(result.startedAt))}">
${suites.map((s) => s.xml).join('')}</testsuites>
`;
}

function suite(gameday: string, o: ExperimentOutcome) {
  const classname = `${gameday}.${o.name}`;
  const cases: string[] = [];
  const counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const add = (name: string, time: string, body: string, kind: keyof typeof counts | null) => {
    counts.tests++;
    if (kind) counts[kind]++;
    cases.push(`    <testcase classname="${attr(classname)}" name="${attr(name)}" time="${time}"${body ? `>\n${body}    </testcase>\n` : '/>\n'}`);
  };

  if (o.verdict === 'not-run') {
    add('verdict', '0.000', `      <skipped message="${attr(`not run: ${o.reason}`)}"/>\n`, 'skipped');
  } else {
    const message = `${VERDICT_WORD[o.verdict]}: ${o.reason}`;
    if (o.verdict === 'passed') add('verdict', seconds(o.durationMs), '', null);
    else if (o.verdict === 'failed') add('verdict', seconds(o.durationMs), `      <failure type="run.failed" message="${attr(message)}">${escapeXml(message)}</failure>\n`, 'failures');
    else add('verdict', seconds(o.durationMs), `      <error type="run.${o.verdict}" message="${attr(message)}">${escapeXml(message)}</error>\n`, 'errors');
    for (const objective of o.objectives) {
      const name = objective.kind === 'slo' ? `slo ${objective.name}` : objective.name;
      const measured = `measured ${formatObjectiveValue(objective)}, threshold ${formatThreshold(objective)}: ${objective.message}`;
      add(name, '0.000', objective.passed ? '' : `      <failure type="objective.${attr(objective.kind)}" message="${attr(measured)}">${escapeXml(measured)}</failure>\n`, objective.passed ? null : 'failures');
    }
  }
  const xml = `  <testsuite name="${attr(o.name)}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="${seconds(o.durationMs)}"${o.startedAt ? ` timestamp="${attr(o.startedAt)}"` : ''} file="${attr(o.file)}">
${cases.join('')}  </testsuite>
`;
  return { xml, counts };
}

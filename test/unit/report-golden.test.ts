/**
 * Golden files: report.md, junit.xml and runbook.md rendered from a real run's journal
 * (test/fixtures/golden/drill.journal.json, recorded by test/e2e/report-run.test.ts) must match the files in
 * test/fixtures/golden/ exactly, once what names the recording rather than what it measured is masked: the run id,
 * the host, the user and the timestamps. The journal is a committed file, so every measured value, duration, unit
 * and count it renders is the same on every machine, and is compared as it is: a units or rounding regression
 * (milliseconds printed as seconds, a lost decimal) fails here.
 *
 * To update after an intended change of a renderer: UPDATE_GOLDEN=1 npm run test:file -- test/unit/report-golden.test.ts,
 * then review the diff. To record a new journal too, run test/e2e/report-run.test.ts with UPDATE_GOLDEN=1 first.
 */
import { expect } from 'chai';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readJournal } from '../../src/state/journal.js';
import { viewJournal, type JournalView } from '../../src/report/journal-view.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderRunbook } from '../../src/report/runbook.js';
import { ROOT } from '../support/cli.js';

const GOLDEN = join(ROOT, 'test/fixtures/golden');

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Masks what names the recording (run id, host, user, timestamps); every measured value stays as rendered. */
function maskRecording(text: string, view: JournalView): string {
  const host = escapeRegExp(view.invocation.host);
  const user = escapeRegExp(view.invocation.user);
  return text
    .replaceAll(view.runId, '<run-id>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?/g, '<time>')
    .replace(new RegExp(`\\b(by) ${user} on ${host}\\b`, 'gi'), '$1 <user> on <host>')
    .replace(new RegExp(`hostname="${host}"`, 'g'), 'hostname="<host>"');
}

describe('report golden files', () => {
  let view: JournalView;
  before(async () => {
    view = viewJournal(await readJournal(join(GOLDEN, 'drill.journal.json')));
  });

  for (const [file, render] of [
    ['drill.report.md', renderMarkdown],
    ['drill.junit.xml', renderJunit],
    ['drill.runbook.md', renderRunbook],
  ] as const) {
    it(`renders ${file} as recorded (run id, host, user and timestamps masked)`, async () => {
      const actual = maskRecording(render(view), view);
      const path = join(GOLDEN, file);
      if (process.env['UPDATE_GOLDEN'] === '1') await writeFile(path, actual);
      expect(actual).to.equal(await readFile(path, 'utf8'));
    });
  }

  it('masks nothing a reader needs: verdicts, names, thresholds and measured values stay', () => {
    const md = maskRecording(renderMarkdown(view), view);
    expect(md).to.include('## ❌ FAILED: The orders service recovers');
    expect(md).to.include('| ❌ | RPO | 301ms | ≤ 100ms |');
    expect(md).to.include('| ✅ | RTO | 899ms | ≤ 5s |');
    expect(md).not.to.include(view.runId);
    expect(md).to.include('SLO p95 \\| before &lt;faults&gt;');
  });

  it('shapes junit.xml as CI reads it: testsuites > testsuite > testcase, failures carry value and threshold', () => {
    const xml = renderJunit(view);
    expect(xml).to.match(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="chaosdrill" tests="(\d+)" failures="2" errors="0" skipped="0"/);
    const suites = xml.match(/<testsuite /g) ?? [];
    expect(suites).to.have.length(1);
    const cases = xml.match(/<testcase /g) ?? [];
    // 2 steady-state probes + 4 objectives + 1 revert.
    expect(cases).to.have.length(7);
    expect(xml).to.match(/name="slo availability" time="[\d.]+">\s*<failure message="measured [\d.]+%, threshold ≥ 99%: availability/);
    expect(xml).to.include('name="slo p95 | before &lt;faults&gt;"');
  });
});

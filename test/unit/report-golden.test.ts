/**
 * Golden files: report.md, junit.xml and runbook.md rendered from a real run's journal
 * (test/fixtures/golden/drill.journal.json, recorded by test/e2e/report-run.test.ts) must match the files in
 * test/fixtures/golden/ once times, durations, host names and run ids are masked.
 *
 * To update after an intended change of a renderer: UPDATE_GOLDEN=1 npx mocha --no-config --node-option import=tsx
 * --extension ts test/unit/report-golden.test.ts, then review the diff. To record a new journal too, run
 * test/e2e/report-run.test.ts with UPDATE_GOLDEN=1 first.
 */
import { expect } from 'chai';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readJournal } from '../../src/engine/journal.js';
import { viewJournal, type JournalView } from '../../src/report/journal-view.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderRunbook } from '../../src/report/runbook.js';
import { ROOT } from '../support/cli.js';

const GOLDEN = join(ROOT, 'test/fixtures/golden');

/** Masks what differs from run to run: times, durations, measured values with units, host names, run ids, hashes. */
export function maskVolatile(text: string, view: JournalView): string {
  return text
    .replaceAll(view.runId, '<run-id>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?/g, '<time>')
    .replace(/time="[\d.]+"/g, 'time="<s>"')
    .replace(/hostname="[^"]*"/g, 'hostname="<host>"')
    .replaceAll(` on ${view.invocation.host} `, ' on <host> ')
    .replaceAll(` by ${view.invocation.user} `, ' by <user> ')
    .replace(/\b[0-9a-f]{64}\b/g, '<sha256>')
    .replace(/`[0-9a-f]{12}`/g, '`<sha12>`')
    .replace(/\d+(\.\d+)?(ms|s|m)\b/g, '<dur>')
    .replace(/\d+(\.\d+)?%/g, '<pct>')
    .replace(/\b\d+(\.\d+)? (ms|req\/s)\b/g, '<n> $2')
    .replace(/(over|of|lost:?) \d+/g, '$1 <n>')
    .replace(/\d+ of \d+/g, '<n> of <n>')
    .replace(/status 200 in \d+/g, 'status 200 in <n>');
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
    it(`renders ${file} as recorded (volatile values masked)`, async () => {
      const actual = maskVolatile(render(view), view);
      const path = join(GOLDEN, file);
      if (process.env['UPDATE_GOLDEN'] === '1') await writeFile(path, actual);
      expect(actual).to.equal(await readFile(path, 'utf8'));
    });
  }

  it('masks nothing a reader needs: verdicts, names and thresholds stay', () => {
    const md = maskVolatile(renderMarkdown(view), view);
    expect(md).to.include('## ❌ FAILED: The orders service recovers');
    expect(md).to.include('| ❌ | RPO |');
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

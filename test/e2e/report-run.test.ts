/**
 * `chaos run` writes report.md, report.html, junit.xml and runbook.md from a real run of the drill in
 * test/fixtures/golden/drill.yaml against a ground-truth server (a 1 s outage, writes lost over the last 300 ms),
 * and the HTML opens in real headless Chromium without a console error or a single request.
 *
 * UPDATE_GOLDEN=1 also copies the run's journal to test/fixtures/golden/drill.journal.json (see
 * test/unit/report-golden.test.ts).
 */
import { expect } from 'chai';
import { copyFile, readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, runChaos, stopAllChaos, tempDir } from '../support/cli.js';
import { openInChromium, type OpenedPage } from '../support/chromium-browser.js';
import { startGroundTruthServer, type GroundTruthServer } from '../support/ground-truth-server.js';

// Relative to ROOT (the runner's cwd), so the recorded journal names the file the same on every machine.
const DRILL = 'test/fixtures/golden/drill.yaml';

describe('reports of a real run (e2e)', function () {
  this.timeout(90_000);
  let server: GroundTruthServer | null = null;
  let dir: Awaited<ReturnType<typeof tempDir>> | null = null;
  let opened: OpenedPage | null = null;

  afterEach(async () => {
    await opened?.close();
    opened = null;
    await stopAllChaos();
    await server?.close();
    server = null;
    await dir?.cleanup();
    dir = null;
  });

  it('writes every report, appends the summary to $GITHUB_STEP_SUMMARY, and the HTML renders offline in Chromium', async () => {
    server = await startGroundTruthServer({ latencies: [2, 5, 20] });
    dir = await tempDir('chaosdrill-report-');
    const runDir = join(dir.path, 'run');
    const summary = join(dir.path, 'step-summary.md');
    const outcome = await runChaos(['run', DRILL, '--var', `url=${server.url}`, '-o', runDir, '--state-dir', join(dir.path, 'state')], {
      cwd: ROOT,
      env: { GITHUB_STEP_SUMMARY: summary },
      timeoutMs: 60_000,
    });
    // The drill fails on purpose: the outage breaks the availability SLO and the lost writes break the RPO.
    expect(outcome.code, outcome.stderr + outcome.stdout).to.equal(1);
    if (process.env['UPDATE_GOLDEN'] === '1') await copyFile(join(runDir, 'journal.json'), join(ROOT, 'test/fixtures/golden/drill.journal.json'));

    const markdown = await readFile(join(runDir, 'report.md'), 'utf8');
    expect(await readFile(summary, 'utf8')).to.include(markdown.trim());
    expect(markdown).to.match(/## ❌ FAILED/);
    expect(markdown).to.match(/\| ❌ \| RPO \|/);
    const junit = await readFile(join(runDir, 'junit.xml'), 'utf8');
    expect(junit).to.match(/<testcase classname="report-drill.objectives" name="rpo" time="[\d.]+">\s*<failure message="measured [^"]+, threshold ≤ 100ms/);
    const runbook = await readFile(join(runDir, 'runbook.md'), 'utf8');
    expect(runbook).to.include('DR runbook verification: DR-01 &lt;primary&gt; outage &amp; failover');
    expect(runbook).to.match(/`primary outage` \| The primary stops answering; expected: the router notices within 1 s \| ✅ succeeded/);
    expect(runbook).to.include('👤 manual: for a person to confirm');

    const shots = join(dir.path, 'screenshots');
    // junit.xml is well-formed XML with the shape CI reads, as a real XML parser (Chromium's) sees it.
    opened = await openInChromium('about:blank');
    // Runs in the browser (a string: the test project has no DOM types).
    const shape = await opened.page.evaluate(`(() => {
      const doc = new DOMParser().parseFromString(${JSON.stringify(junit)}, 'application/xml');
      if (doc.querySelector('parsererror')) return { error: doc.querySelector('parsererror').textContent };
      const root = doc.documentElement;
      return {
        root: root.tagName,
        suites: [...root.children].filter((c) => c.tagName === 'testsuite').map((s) => s.getAttribute('name')),
        cases: doc.querySelectorAll('testsuite > testcase').length,
        failures: [...doc.querySelectorAll('testcase > failure')].map((f) => f.parentElement.getAttribute('name')),
      };
    })()`);
    await opened.close();
    opened = null;
    expect(shape).to.deep.equal({ root: 'testsuites', suites: ['report-drill'], cases: 7, failures: ['slo availability', 'rpo'] });

    await mkdir(shots, { recursive: true });
    opened = await openInChromium(pathToFileURL(join(runDir, 'report.html')).href);
    const { page } = opened;
    expect(opened.consoleErrors).to.deep.equal([]);
    expect(opened.requests).to.deep.equal([]);
    expect(await page.locator('#verdict .word').textContent()).to.equal('FAILED');
    for (const [chart, series] of [
      ['chart-throughput', ['requests', 'transport-errors']],
      ['chart-errors', ['error-rate']],
      ['chart-latency', ['p50', 'p95', 'p99']],
    ] as const) {
      const keys = await page.locator(`#${chart} path.series`).evaluateAll((paths) => paths.map((p) => [p.getAttribute('data-series'), p.getAttribute('d')?.length ?? 0]));
      expect(keys.map(([k]) => k), chart).to.deep.equal(series);
      // Every series is drawn: a path with at least a few points.
      for (const [key, length] of keys) expect(length, `${chart} ${key}`).to.be.greaterThan(20);
      expect(await page.locator(`#${chart} .fault-window[data-fault="freeze the replica"] rect`).count(), chart).to.equal(1);
      expect(await page.locator(`#${chart} .rto-span`).count(), chart).to.equal(1);
      expect(await page.locator(`#${chart} .lost-write`).count(), chart).to.be.within(1, 2);
    }
    // The shaded window is really drawn: it has a width on screen.
    const box = await page.locator('#chart-throughput .fault-window rect').boundingBox();
    expect(box?.width ?? 0).to.be.greaterThan(10);
    await page.screenshot({ path: join(shots, 'report-desktop.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(shots, 'report-phone.png'), fullPage: true });
    // On a phone, the page does not scroll sideways (wide tables scroll inside their own box).
    expect(await page.evaluate('document.documentElement.scrollWidth')).to.be.at.most(390);
    if (process.env['REPORT_SCREENSHOTS']) {
      await copyFile(join(shots, 'report-desktop.png'), join(process.env['REPORT_SCREENSHOTS'], 'report-desktop.png'));
      await copyFile(join(shots, 'report-phone.png'), join(process.env['REPORT_SCREENSHOTS'], 'report-phone.png'));
    }
  });
});

/**
 * `chaos gameday` through the built binary: a plan of three short experiments over a real service process (one of
 * them fails on purpose), the consolidated report (index.html and junit.xml parsed by Chromium's real parsers,
 * summary.md), the resilience score recomputed here from the runs' own journals, the stop policy, notifications
 * received by a real HTTP server on 127.0.0.1, and invalid plans refused before anything runs.
 */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hostname } from 'node:os';
import { mkdir } from 'node:fs/promises';
import { lockPath } from '../../src/state/lock.js';
import { processStartTime } from '../../src/os/process-identity.js';
import { openInChromium, type OpenedPage } from '../support/chromium-browser.js';
import { readJournalDoc, ROOT, runChaos, startService, stopAllChaos, tempDir, type TestService } from '../support/cli.js';

const FIXTURES = join(ROOT, 'test/fixtures/gameday');

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

/** A notification receiver on 127.0.0.1 that records every POST. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8').on('data', (d: string) => (text += d));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(text) });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, close: () => new Promise((r) => server.close(() => r())) };
}

describe('chaos gameday (the built binary, a real service)', function () {
  this.timeout(90_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let service: TestService;
  let opened: OpenedPage | null = null;

  beforeEach(async () => {
    dir = await tempDir();
    service = await startService(dir.path);
  });
  afterEach(async () => {
    await opened?.close();
    opened = null;
    await stopAllChaos();
    await service.stop();
    await dir.cleanup();
  });

  /** A plan in the temp dir naming fixtures by paths relative to it; the vars point the experiments at the service. */
  async function writePlan(name: string, body: string): Promise<string> {
    const vars = `vars: { pidFile: "${service.pidFile}", url: "${service.url}" }`;
    const rel = (f: string) => relative(dir.path, join(FIXTURES, f));
    const text = body.replaceAll('$VARS', vars).replace(/\$FIXTURE\(([^)]+)\)/g, (_m, f: string) => rel(f));
    await writeFile(join(dir.path, name), text);
    return name;
  }

  const gameday = (plan: string, env: Record<string, string> = {}) =>
    runChaos(['gameday', plan, '--state-dir', 'state', '-o', 'gd'], { cwd: dir.path, env: { CI: 'true', ...env }, timeoutMs: 80_000 });

  it('runs every experiment with stopOn: never, exits with the worst code, and writes index.html, junit.xml, summary.md, the score and notifications', async () => {
    const receiver = await startReceiver();
    try {
      const plan = await writePlan('plan.yaml', `version: 1
name: e2e-gameday
title: "E2E <game> day"
stopOn: never
experiments:
  - { path: $FIXTURE(freeze-recovers.yaml), weight: 2, $VARS }
  - { path: $FIXTURE(strict-rto.yaml), weight: 1, $VARS }
  - { path: $FIXTURE(short-freeze.yaml), name: third, weight: 3, $VARS }
secrets:
  slack: { env: TEST_SLACK_URL }
notify:
  - { type: webhook, url: "${receiver.url}/hook", headers: { authorization: "Bearer \${env.TEST_HOOK_TOKEN}" } }
  - { type: slack, url: "\${secrets.slack}" }
  - { type: webhook, url: "http://127.0.0.1:9/unreachable" }
`);
      const token = 'tok-3f9a8b7c6d';
      const outcome = await gameday(plan, { TEST_HOOK_TOKEN: token, TEST_SLACK_URL: `${receiver.url}/slack` });
      const log = outcome.stdout + outcome.stderr;
      // Exit 1: one experiment failed an objective; the failed notification (port 9) does not change that.
      expect(outcome.code, log).to.equal(1);
      expect(log).to.include('notify[2] (webhook) failed');
      expect(log).not.to.include(token);
      expect(log, 'CI mode: no ANSI codes').not.to.match(/\u001b\[/);

      const gd = join(dir.path, 'gd');
      const result = JSON.parse(await readFile(join(gd, 'gameday.json'), 'utf8'));
      expect(result.experiments.map((e: any) => [e.name, e.verdict, e.exitCode])).to.deep.equal([
        ['freeze-recovers', 'passed', 0],
        ['strict-rto', 'failed', 1],
        ['third', 'passed', 0],
      ]);

      // The score, recomputed from each run's own journal (objective results) and the plan's weights.
      const weights = [2, 1, 3];
      let weighted = 0;
      for (const [i, e] of result.experiments.entries()) {
        const journal = await readJournalDoc(join(gd, e.runDir, 'journal.json'));
        const all: Array<{ passed: boolean }> = journal.entries.find((x) => x.kind === 'objectives')?.data ?? [];
        expect(all.length, `objectives of ${e.name}`).to.be.greaterThan(0);
        weighted += weights[i]! * (all.filter((o: any) => o.passed).length / all.length);
      }
      const expectedScore = weighted / 6;
      expect(expectedScore).to.be.closeTo(5 / 6, 1e-9); // 2×1 + 1×0 + 3×1 over 6
      expect(result.score.value).to.be.closeTo(expectedScore, 1e-9);

      // index.html, as Chromium sees it: three rows with verdicts, every link resolving to an existing report.
      const indexPath = join(gd, 'index.html');
      opened = await openInChromium(pathToFileURL(indexPath).href);
      const page = (await opened.page.evaluate(`(() => ({
        rows: [...document.querySelectorAll('#experiments tbody tr')].map((tr) => ({
          verdict: tr.querySelector('[data-verdict]').dataset.verdict,
          text: tr.textContent,
          links: [...tr.querySelectorAll('a')].map((a) => a.getAttribute('href')),
        })),
        body: document.body.textContent,
      }))()`)) as { rows: Array<{ verdict: string; text: string; links: string[] }>; body: string };
      expect(page.rows.map((r) => r.verdict)).to.deep.equal(['passed', 'failed', 'passed']);
      expect(page.rows[1]!.text).to.match(/FAILED/).and.to.match(/objective ≤ 300ms\) not met/);
      for (const row of page.rows) {
        expect(row.links).to.have.length(1);
        expect(existsSync(resolve(dirname(indexPath), row.links[0]!)), row.links[0]).to.equal(true);
      }
      expect(page.body).to.include('Resilience score: 83.3%');
      expect(page.body).to.include('(2×1/1 + 1×0/1 + 3×1/1) / 6 = 83.3%');
      expect(opened.requests, 'self-contained: no requests').to.deep.equal([]);

      // junit.xml through a real XML parser: one suite per experiment, failures only in the failing one.
      const junit = await readFile(join(gd, 'junit.xml'), 'utf8');
      const shape = await opened.page.evaluate(`(() => {
        const doc = new DOMParser().parseFromString(${JSON.stringify(junit)}, 'application/xml');
        if (doc.querySelector('parsererror')) return { error: doc.querySelector('parsererror').textContent };
        return [...doc.documentElement.children].map((s) => ({
          name: s.getAttribute('name'),
          failures: Number(s.getAttribute('failures')),
          failed: [...s.querySelectorAll('testcase > failure')].map((f) => f.parentElement.getAttribute('name')),
        }));
      })()`);
      expect(shape).to.deep.equal([
        { name: 'freeze-recovers', failures: 0, failed: [] },
        { name: 'strict-rto', failures: 2, failed: ['verdict', 'rto'] },
        { name: 'third', failures: 0, failed: [] },
      ]);

      const summary = await readFile(join(gd, 'summary.md'), 'utf8');
      expect(summary).to.match(/^## ❌ Game day: E2E &lt;game&gt; day/);
      expect(summary).to.include('| 2 | strict-rto | FAILED');
      expect(summary).to.include('Resilience score: 83.3%');

      // Notifications: the webhook with its header and the JSON results, Slack with { text, blocks }.
      const hook = receiver.received.find((r) => r.path === '/hook');
      const slack = receiver.received.find((r) => r.path === '/slack');
      expect(hook?.headers.authorization).to.equal(`Bearer ${token}`);
      expect(hook?.body).to.include({ kind: 'chaosdrill.gameday', name: 'e2e-gameday', exitCode: 1 });
      expect(hook?.body.score).to.be.closeTo(expectedScore, 1e-9);
      expect(hook?.body.experiments.map((e: any) => e.verdict)).to.deep.equal(['passed', 'failed', 'passed']);
      expect(slack?.body.text).to.match(/Game day E2E <game> day: 2 of 3 experiments passed; resilience score 83\.3% \(exit 1\)/);
      expect(slack?.body.blocks[0]).to.deep.equal({ type: 'header', text: { type: 'plain_text', text: 'Game day: E2E <game> day' } });
      expect(slack?.body.blocks[2].text.text).to.include('*strict-rto*: FAILED');
      for (const file of ['gameday.json', 'index.html', 'summary.md', 'junit.xml']) {
        expect(await readFile(join(gd, file), 'utf8'), file).not.to.include(token);
      }
    } finally {
      await receiver.close();
    }
  });

  it('stops at the first failure and reports the rest as not run', async () => {
    const plan = await writePlan('first-failure.yaml', `version: 1
name: stops
title: Stops at the first failure
experiments:
  - { path: $FIXTURE(strict-rto.yaml), $VARS }
  - { path: $FIXTURE(short-freeze.yaml), $VARS }
  - { path: $FIXTURE(freeze-recovers.yaml), $VARS }
`);
    const outcome = await gameday(plan);
    expect(outcome.code, outcome.stdout + outcome.stderr).to.equal(1);
    const gd = join(dir.path, 'gd');
    const result = JSON.parse(await readFile(join(gd, 'gameday.json'), 'utf8'));
    expect(result.experiments.map((e: any) => e.verdict)).to.deep.equal(['failed', 'not-run', 'not-run']);
    expect(result.experiments[1].reason).to.equal('stopOn: first-failure (strict-rto failed)');
    expect(result.score.value).to.equal(0);
    // Only the first experiment has a run folder.
    expect((await readdir(gd)).filter((f) => /^\d\d-/.test(f))).to.deep.equal(['01-strict-rto']);
    const junit = await readFile(join(gd, 'junit.xml'), 'utf8');
    expect(junit.match(/<testsuite /g)).to.have.length(3);
    expect(junit.match(/<skipped message="not run: stopOn: first-failure/g)).to.have.length(2);
    expect(await readFile(join(gd, 'summary.md'), 'utf8')).to.include('| 2 | short-freeze | NOT RUN: stopOn: first-failure');
    expect(await service.requests()).to.be.greaterThan(0);
  });

  it('does not start inside a blackout window: exit 0, every experiment "not run" with the window named', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const plan = await writePlan('blackout.yaml', `version: 1
name: blackout
title: In a blackout
experiments:
  - { path: $FIXTURE(freeze-recovers.yaml), $VARS }
blackouts:
  - { name: release freeze, from: "${from}", to: "${to}" }
`);
    const before = await service.requests();
    const outcome = await gameday(plan);
    expect(outcome.code, outcome.stdout + outcome.stderr).to.equal(0);
    expect(outcome.stdout).to.include(`SKIPPED game day blackout: not started: blackout window release freeze (${new Date(from).toISOString()} →`);
    const result = JSON.parse(await readFile(join(dir.path, 'gd', 'gameday.json'), 'utf8'));
    expect(result.experiments.map((e: any) => e.verdict)).to.deep.equal(['not-run']);
    expect(await readFile(join(dir.path, 'gd', 'index.html'), 'utf8')).to.include('NOT STARTED');
    expect(await service.requests()).to.equal(before);
  });

  it('refuses to start while another live process holds the plan\'s lock (exit 5), and runs nothing', async () => {
    const plan = await writePlan('locked.yaml', `version: 1
name: locked
title: Locked
experiments:
  - { path: $FIXTURE(freeze-recovers.yaml), $VARS }
`);
    // A lock held by this (live) test process, as another game day of the same plan would hold it.
    const path = lockPath(join(dir.path, 'state'), 'gameday:locked');
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, JSON.stringify({ runId: 'other', pid: process.pid, pidStartTime: processStartTime(process.pid), host: hostname(), target: 'gameday locked', key: 'gameday:locked', acquiredAt: new Date().toISOString() }));
    const before = await service.requests();
    const outcome = await gameday(plan);
    expect(outcome.code, outcome.stdout + outcome.stderr).to.equal(5);
    expect(outcome.stderr).to.include('error E_GAMEDAY_LOCKED: game day "locked" is already running');
    expect(await service.requests()).to.equal(before);
  });

  it('refuses an invalid plan with file:line:column and runs nothing', async () => {
    const plan = await writePlan('invalid-plan.yaml', `version: 1
name: invalid
title: Invalid
stopOn: sometimes
experiments:
  - { path: $FIXTURE(freeze-recovers.yaml), wieght: 2, $VARS }
`);
    const before = await service.requests();
    const outcome = await gameday(plan);
    expect(outcome.code).to.equal(2);
    expect(outcome.stderr).to.include('invalid-plan.yaml:4:9: error E_VALUE: "stopOn" should be one of "first-failure", "never"');
    expect(outcome.stderr).to.match(/invalid-plan\.yaml:6:\d+: error E_UNKNOWN_KEY: unknown key "wieght"/);
    expect(outcome.stderr).to.include('did you mean "weight"?');
    expect(existsSync(join(dir.path, 'gd'))).to.equal(false);
    expect(await service.requests()).to.equal(before);
  });

  it('refuses a plan naming an invalid or missing experiment, with the position in each file, and runs nothing', async () => {
    const plan = await writePlan('bad-experiment.yaml', `version: 1
name: bad-experiment
title: Names a broken experiment
experiments:
  - { path: $FIXTURE(freeze-recovers.yaml), $VARS }
  - { path: $FIXTURE(invalid-experiment.yaml) }
  - { path: nowhere.yaml }
`);
    const before = await service.requests();
    const outcome = await gameday(plan);
    expect(outcome.code).to.equal(2);
    expect(outcome.stderr).to.match(/invalid-experiment\.yaml:10:5: error E_UNKNOWN_KEY: unknown key "duraton"/);
    expect(outcome.stderr).to.include('bad-experiment.yaml:7:13: error E_FILE_NOT_FOUND');
    expect(outcome.stderr).to.include('2 problems found; nothing was contacted.');
    expect(existsSync(join(dir.path, 'gd'))).to.equal(false);
    expect(await service.requests()).to.equal(before);
  });
});

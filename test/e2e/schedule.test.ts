/**
 * `chaos schedule` through the built binary with per-second cron expressions: game days on every tick without
 * overlap, a blackout window skipped and logged, and SIGTERM in the middle of a fault: the fault is reverted before
 * the scheduler exits. Every scheduler is bounded by --max-runs and a timeout.
 */
import { expect } from 'chai';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ROOT, startChaos, startService, stopAllChaos, tempDir, waitFor, type TestService } from '../support/cli.js';

const FIXTURES = join(ROOT, 'test/fixtures/gameday');

describe('chaos schedule (the built binary, per-second cron)', function () {
  this.timeout(60_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let service: TestService;

  beforeEach(async () => {
    dir = await tempDir();
    service = await startService(dir.path);
  });
  afterEach(async () => {
    await stopAllChaos();
    await service.stop();
    await dir.cleanup();
  });

  async function writePlan(fixture: string, extra: string, then: string[] = []): Promise<string> {
    const entry = (f: string) => `  - { path: ${relative(dir.path, join(FIXTURES, f))}, vars: { pidFile: "${service.pidFile}" } }\n`;
    await writeFile(join(dir.path, 'plan.yaml'), `version: 1
name: scheduled
title: Scheduled
stopOn: never
experiments:
${[fixture, ...then].map(entry).join('')}reports: gamedays
${extra}`);
    return 'plan.yaml';
  }

  async function gamedays(): Promise<Array<{ startedAt: string; endedAt: string; exitCode: number; experiments: Array<{ verdict: string }> }>> {
    const root = join(dir.path, 'gamedays');
    const folders = (await readdir(root)).sort();
    return Promise.all(folders.map(async (f) => JSON.parse(await readFile(join(root, f, 'gameday.json'), 'utf8'))));
  }

  const schedule = (plan: string, args: string[]) =>
    startChaos(['schedule', plan, '--state-dir', 'state', ...args], { cwd: dir.path, env: { CI: 'true' }, timeoutMs: 45_000 });

  it('runs the plan on ticks of "*/2 * * * * *" without overlap, skipping (and logging) a tick while a game day still runs', async () => {
    // Each game day lasts at least 2.4 s (slow-freeze), so the tick 2 s after a start always finds it running.
    const plan = await writePlan('slow-freeze.yaml', `schedule: { cron: "*/2 * * * * *", timezone: Europe/Berlin }\n`);
    const outcome = await schedule(plan, ['--max-runs', '2']).exited;
    expect(outcome.code, outcome.stdout + outcome.stderr).to.equal(0);
    expect(outcome.stdout).to.match(/schedule: schedule "\*\/2 \* \* \* \* \*" \(Europe\/Berlin\); next runs: (\S+Z, ){4}\S+Z/);
    expect(outcome.stdout).to.match(/schedule: tick \S+: skipped: the game day started at \S+ is still running \(runs never overlap\)/);
    const runs = await gamedays();
    expect(runs).to.have.length(2);
    for (const run of runs) {
      expect(run.exitCode).to.equal(0);
      expect(run.experiments.map((e) => e.verdict)).to.deep.equal(['passed']);
      // Started on an even-second tick (the game day starts well within a second of its tick).
      expect(new Date(run.startedAt).getUTCSeconds() % 2, run.startedAt).to.equal(0);
    }
    // No overlap: the second started after the first ended, on a later tick.
    expect(Date.parse(runs[1]!.startedAt)).to.be.at.least(Date.parse(runs[0]!.endedAt));
    expect(service.state()).to.match(/^[SR]$/);
  });

  it('skips the ticks inside a blackout window, says so with the window, and runs after it', async () => {
    const from = new Date(Date.now() - 1000);
    const to = new Date(Date.now() + 6000); // long enough that ticks fall inside it even when the runner starts slowly
    const plan = await writePlan('quick-freeze.yaml', `schedule: { cron: "* * * * * *" }
blackouts:
  - { name: test freeze, from: "${from.toISOString()}", to: "${to.toISOString()}" }
`);
    const outcome = await schedule(plan, ['--max-runs', '1']).exited;
    expect(outcome.code, outcome.stdout + outcome.stderr).to.equal(0);
    expect(outcome.stdout, outcome.stdout).to.match(new RegExp(`tick \\S+: skipped: blackout window test freeze \\(${from.toISOString().replace(/\./g, '\\.')} → `));
    const runs = await gamedays();
    expect(runs).to.have.length(1);
    expect(Date.parse(runs[0]!.startedAt)).to.be.at.least(to.getTime() - 1000); // the tick at or after `to`
    expect(runs[0]!.experiments[0]!.verdict).to.equal('passed');
  });

  it('stops on SIGTERM during a fault: the fault is reverted first, and the exit code is the interrupted run\'s (3)', async () => {
    const plan = await writePlan('long-freeze.yaml', `schedule: { cron: "* * * * * *" }\n`, ['quick-freeze.yaml']);
    const runner = schedule(plan, ['--max-runs', '3']);
    await waitFor('the service to be frozen', () => service.state() === 'T', 20_000);
    runner.child.kill('SIGTERM');
    const outcome = await runner.exited;
    expect(outcome.code, outcome.stdout + outcome.stderr).to.equal(3);
    expect(service.state(), 'resumed before exit').to.match(/^[SR]$/);
    expect(outcome.stdout).to.include('schedule: stopping: waiting for the current game day to revert and finish');
    expect(outcome.stdout).to.match(/schedule: stopped\n/);
    const runs = await gamedays();
    expect(runs).to.have.length(1);
    expect(runs[0]!.experiments.map((e) => e.verdict)).to.deep.equal(['aborted', 'not-run']);
    expect((runs[0]!.experiments[1] as { reason?: string }).reason).to.equal('the game day was stopped by the operator');
    expect(await service.requests()).to.be.a('number');
  });
});

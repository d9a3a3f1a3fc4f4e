/**
 * The built `chaos` binary against real processes on loopback: a service in its own process (faulted through its
 * pidFile) and a worker the run starts itself. Every test checks that the fault is really gone afterwards.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { verifyJournal } from '../../src/state/journal.js';
import {
  journalIn,
  readJournalDoc,
  runChaos,
  startChaos,
  startService,
  stopAllChaos,
  tempDir,
  waitFor,
  writeExperiment,
  type TestService,
} from '../support/cli.js';

function experiment(service: TestService, method: string, extra = ''): string {
  return `version: 1
name: lifecycle
targets:
  svc: { type: process, pidFile: "${service.pidFile}" }
  worker:
    type: process
    command: [node, -e, "setInterval(() => {}, 1000)"]
steadyState:
  - name: service answers
    probe: { type: http, url: "${service.url}/healthz", expect: { status: 200 }, timeout: 2s }
${extra}
method:
${method}
`;
}

describe('chaos run (the built binary, real processes)', function () {
  this.timeout(60_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let service: TestService;
  let args: (file: string) => string[];

  beforeEach(async () => {
    dir = await tempDir();
    service = await startService(dir.path);
    args = (file) => ['run', file, '--state-dir', join(dir.path, 'state'), '-o', join(dir.path, 'run')];
  });
  afterEach(async () => {
    await stopAllChaos();
    await service.stop();
    await dir.cleanup();
  });

  async function journalKinds(): Promise<string[]> {
    return (await readJournalDoc(journalIn(join(dir.path, 'run')))).entries.map((e) => e.kind);
  }

  it('pauses and kills real processes, reverts both, and exits 0 with a complete, intact journal', async () => {
    const file = await writeExperiment(
      dir.path,
      'ok.yaml',
      experiment(
        service,
        `  - name: freeze service
    fault: { type: process.pause, target: svc }
    duration: 500ms
  - name: kill worker
    fault: { type: process.kill, target: worker }
    duration: 300ms
  - name: worker runs again
    probe: { type: process.running, target: worker }`,
      ),
    );
    const out = await runChaos(args(file), { cwd: dir.path });
    expect(out.code, out.stdout + out.stderr).to.equal(0);
    expect(service.state()).to.be.oneOf(['S', 'R']);

    const journal = await readJournalDoc(journalIn(join(dir.path, 'run')));
    expect(verifyJournal(journal).ok).to.equal(true);
    const kinds = journal.entries.map((e) => e.kind);
    expect(kinds[0]).to.equal('run-started');
    expect(kinds.at(-1)).to.equal('run-finished');
    expect(kinds.filter((k) => k === 'fault-injected')).to.have.length(2);
    const reverted = journal.entries.filter((e) => e.kind === 'fault-reverted');
    expect(reverted.map((e) => [e.data.name, e.data.ok])).to.deep.equal([
      ['freeze service', true],
      ['kill worker', true],
    ]);
    const steady = journal.entries.filter((e) => e.kind === 'steady-state').map((e) => [e.data.when, e.data.held]);
    expect(steady).to.deep.equal([
      ['before', true],
      ['after', true],
    ]);
    const started = journal.entries[0]!.data;
    expect(started.source.sha256).to.match(/^[0-9a-f]{64}$/);
    expect(started.invocation.argv).to.include('run');
    expect(journal.entries.at(-1)!.data).to.include({ status: 'passed', exitCode: 0 });
  });

  it('injects nothing and exits 1 when the steady state does not hold before the method', async () => {
    await fetch(`${service.url}/break`, { method: 'POST' });
    const file = await writeExperiment(dir.path, 'sick.yaml', experiment(service, `  - fault: { type: process.pause, target: svc }`));
    const out = await runChaos(args(file), { cwd: dir.path });
    expect(out.code, out.stdout + out.stderr).to.equal(1);
    expect(out.stdout).to.match(/not healthy to begin with/);
    const kinds = await journalKinds();
    expect(kinds).to.not.include('fault-injected');
    expect(kinds).to.include('run-finished');
    expect(service.state()).to.be.oneOf(['S', 'R']);
  });

  it('exits 1 when the steady state does not hold after the method', async () => {
    const file = await writeExperiment(
      dir.path,
      'breaks.yaml',
      experiment(service, `  - action: { type: http.request, method: POST, url: "${service.url}/break", expect: { status: 503 } }`),
    );
    const out = await runChaos(args(file), { cwd: dir.path });
    expect(out.code, out.stdout + out.stderr).to.equal(1);
    expect(out.stdout).to.match(/did not hold after/);
  });

  it('reverts a fault when a later step fails, and exits 1', async () => {
    const file = await writeExperiment(
      dir.path,
      'later-fails.yaml',
      experiment(
        service,
        `  - fault: { type: process.pause, target: svc }
  - name: failing step
    action: { type: command, run: [node, -e, "process.exit(3)"] }
  - pause: 30s`,
      ),
    );
    const started = Date.now();
    const out = await runChaos(args(file), { cwd: dir.path });
    expect(out.code, out.stdout + out.stderr).to.equal(1);
    expect(Date.now() - started).to.be.below(25_000); // the 30 s pause after the failing step never ran
    expect(out.stdout).to.match(/failing step/);
    expect(service.state()).to.be.oneOf(['S', 'R']);
  });

  it('reverts a fault when a probe throws, and exits 1', async () => {
    const file = await writeExperiment(
      dir.path,
      'probe-throws.yaml',
      experiment(
        service,
        `  - fault: { type: process.pause, target: svc }
  - name: broken probe
    probe: { type: command, run: [/nonexistent/chaosdrill-no-such-binary] }`,
      ),
    );
    const out = await runChaos(args(file), { cwd: dir.path });
    expect(out.code, out.stdout + out.stderr).to.equal(1);
    expect(service.state()).to.be.oneOf(['S', 'R']);
    const journal = await readJournalDoc(journalIn(join(dir.path, 'run')));
    const probe = journal.entries.find((e) => e.kind === 'activity' && e.data.name === 'broken probe');
    expect(probe?.data.status).to.equal('failed');
    expect(journal.entries.filter((e) => e.kind === 'fault-reverted').map((e) => e.data.ok)).to.deep.equal([true]);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`reverts the fault and exits 3 on ${signal}`, async () => {
      const file = await writeExperiment(
        dir.path,
        'signal.yaml',
        experiment(service, `  - fault: { type: process.pause, target: svc }\n  - pause: 60s`),
      );
      const runner = startChaos(args(file), { cwd: dir.path });
      await waitFor('the fault to be injected', () => service.state() === 'T');
      runner.child.kill(signal);
      const out = await runner.exited;
      expect(out.code, out.stdout + out.stderr).to.equal(3);
      expect(service.state()).to.be.oneOf(['S', 'R']);
      expect(await journalKinds()).to.include('abort');
    });
  }

  it('does not skip reverts on a second SIGINT', async () => {
    const file = await writeExperiment(
      dir.path,
      'double-signal.yaml',
      experiment(service, `  - fault: { type: process.pause, target: svc }\n  - pause: 60s`),
    );
    const runner = startChaos(args(file), { cwd: dir.path });
    await waitFor('the fault to be injected', () => service.state() === 'T');
    runner.child.kill('SIGINT');
    runner.child.kill('SIGINT');
    const out = await runner.exited;
    expect(out.code, out.stdout + out.stderr).to.equal(3);
    expect(service.state()).to.be.oneOf(['S', 'R']);
  });

  it('aborts at safety.maxDuration, reverts, and exits 3', async () => {
    const file = await writeExperiment(
      dir.path,
      'max-duration.yaml',
      experiment(service, `  - fault: { type: process.pause, target: svc }\n  - pause: 60s`, 'safety: { maxDuration: 2s }'),
    );
    const started = Date.now();
    const out = await runChaos(args(file), { cwd: dir.path });
    expect(out.code, out.stdout + out.stderr).to.equal(3);
    expect(Date.now() - started).to.be.below(30_000);
    expect(out.stderr + out.stdout).to.match(/maxDuration/);
    expect(service.state()).to.be.oneOf(['S', 'R']);
  });

  it('refuses a second run against a target that a live run holds (exit 5), without touching it', async () => {
    const file = await writeExperiment(dir.path, 'hold.yaml', experiment(service, `  - fault: { type: process.pause, target: svc }\n  - pause: 60s`));
    const first = startChaos(args(file), { cwd: dir.path });
    await waitFor('the first run to inject', () => service.state() === 'T');
    const second = await runChaos(['run', file, '--state-dir', join(dir.path, 'state'), '-o', join(dir.path, 'run2')], { cwd: dir.path });
    expect(second.code, second.stdout + second.stderr).to.equal(5);
    expect(second.stdout + second.stderr).to.match(/E_TARGET_LOCKED/);
    first.child.kill('SIGTERM');
    expect((await first.exited).code).to.equal(3);
    expect(service.state()).to.be.oneOf(['S', 'R']);
  });

  it('chaos plan shows what would change and changes nothing', async () => {
    const file = await writeExperiment(
      dir.path,
      'plan.yaml',
      experiment(service, `  - fault: { type: process.pause, target: svc }\n    duration: 5s\n  - fault: { type: process.kill, target: worker }`),
    );
    const before = await service.requests();
    const out = await runChaos(['plan', file, '--state-dir', join(dir.path, 'state')], { cwd: dir.path });
    expect(out.code, out.stdout + out.stderr).to.equal(0);
    expect(out.stdout).to.include(String(service.pid));
    expect(out.stdout).to.match(/for 5s/);
    expect(out.stdout).to.match(/until the method ends/);
    expect(out.stdout).to.match(/Nothing was injected/);
    expect(service.state()).to.be.oneOf(['S', 'R']);
    expect(await service.requests()).to.equal(before);
  });
});

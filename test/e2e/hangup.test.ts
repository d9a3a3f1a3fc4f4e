/**
 * An ssh session that drops: the runner gets SIGHUP and its terminal is gone (writes to stdout and stderr fail).
 * It must revert exactly as on SIGTERM, and stop what it started.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { readLedgerRuns } from '../../src/state/ledger.js';
import { isProcessAlive } from '../../src/os/process-identity.js';
import { startChaos, startService, stopAllChaos, tempDir, waitFor, writeExperiment, type TestService } from '../support/cli.js';

describe('chaos run when its session hangs up', function () {
  this.timeout(60_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let service: TestService;
  let worker: { pid: number; startTime: string | null } | undefined;

  beforeEach(async () => {
    dir = await tempDir();
    service = await startService(dir.path);
  });
  afterEach(async () => {
    await stopAllChaos();
    // A runner killed by the signal leaves its worker behind: a failing test must not.
    if (worker && isProcessAlive(worker)) process.kill(worker.pid, 'SIGKILL');
    await service.stop();
    await dir.cleanup();
  });

  it('reverts the fault, stops its managed process and exits 3 on SIGHUP, with its stdout and stderr gone', async () => {
    const file = await writeExperiment(
      dir.path,
      'hangup.yaml',
      `version: 1
name: hangup
targets:
  svc: { type: process, pidFile: "${service.pidFile}" }
  worker: { type: process, command: [node, -e, "setInterval(() => {}, 1000)"] }
method:
  - fault: { type: process.pause, target: svc }
  - pause: 60s
`,
    );
    const stateDir = join(dir.path, 'state');
    const runner = startChaos(['run', file, '--state-dir', stateDir, '-o', join(dir.path, 'run')], { cwd: dir.path });
    await waitFor('the fault to be injected', () => service.state() === 'T');
    worker = (await readLedgerRuns(stateDir)).flatMap((r) => r.entries).find((e) => e.type === 'process.managed')?.state as
      | { pid: number; startTime: string | null }
      | undefined;
    expect(worker, 'the managed worker in the ledger').to.not.equal(undefined);
    // The terminal is gone: every later write to stdout or stderr fails with EPIPE.
    runner.child.stdout!.destroy();
    runner.child.stderr!.destroy();
    runner.child.kill('SIGHUP');
    const out = await runner.exited;
    expect(out.signal, 'killed by the signal instead of reverting').to.equal(null);
    expect(out.code).to.equal(3);
    expect(service.state()).to.be.oneOf(['S', 'R']);
    expect(isProcessAlive(worker!)).to.equal(false);
    const [run] = await readLedgerRuns(stateDir);
    expect(run?.finished).to.equal(true);
    expect(run?.entries.map((e) => `${e.type}: ${e.status}`)).to.deep.equal(['process.managed: reverted', 'process.pause: reverted']);
  });
});

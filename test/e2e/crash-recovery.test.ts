/**
 * kill -9 of the runner while a fault is active: the fault ledger lets `chaos recover` put things right, and
 * `chaos run` refuses to start against the faulted target until then.
 */
import { expect } from 'chai';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runChaos, startChaos, startService, stopAllChaos, tempDir, waitFor, writeExperiment, type TestService } from '../support/cli.js';
import { isProcessAlive, type ProcessIdentity } from '../../src/os/process-identity.js';
import { readLedgerRuns } from '../../src/state/ledger.js';

describe('crash safety: kill -9 of the runner, then chaos recover', function () {
  this.timeout(60_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let service: TestService;

  beforeEach(async () => {
    dir = await tempDir();
    service = await startService(dir.path);
  });
  let orphan: ProcessIdentity | null = null;
  afterEach(async () => {
    await stopAllChaos();
    // A failing test must not leave the worker the killed runner started.
    if (orphan && isProcessAlive(orphan)) process.kill(orphan.pid, 'SIGKILL');
    orphan = null;
    await service.stop();
    await dir.cleanup();
  });

  it('refuses to run while a paused process is unrecovered; recover resumes it, marks it reverted, and is idempotent', async () => {
    const file = await writeExperiment(
      dir.path,
      'pause.yaml',
      `version: 1
name: crash
targets:
  svc: { type: process, pidFile: "${service.pidFile}" }
  worker: { type: process, command: [node, -e, "setInterval(() => {}, 1000)"] }
method:
  - fault: { type: process.pause, target: svc }
  - pause: 60s
`,
    );
    const stateArgs = ['--state-dir', join(dir.path, 'state')];
    const runner = startChaos(['run', file, ...stateArgs, '-o', join(dir.path, 'run1')], { cwd: dir.path });
    await waitFor('the fault to be injected', () => service.state() === 'T');
    // The managed worker is running too; find its pid in the ledger to check recover stops it.
    const workerPid = await waitFor('the worker in the ledger', async () => {
      const runs = await readLedgerRuns(join(dir.path, 'state'));
      const resource = runs.flatMap((r) => r.entries).find((e) => e.type === 'process.managed' && e.state !== null);
      return resource?.state as { pid: number; startTime: string | null } | undefined;
    });
    orphan = workerPid;
    runner.child.kill('SIGKILL');
    await runner.exited;
    await new Promise((r) => setTimeout(r, 300));
    expect(service.state(), 'still paused after the runner died').to.equal('T');
    expect(isProcessAlive({ pid: workerPid.pid, startTime: workerPid.startTime }), 'worker orphaned').to.equal(true);

    const refused = await runChaos(['run', file, ...stateArgs, '-o', join(dir.path, 'run2')], { cwd: dir.path });
    expect(refused.code, refused.stdout + refused.stderr).to.equal(5);
    expect(refused.stdout + refused.stderr).to.match(/E_UNRECOVERED_FAULTS/);
    expect(refused.stdout + refused.stderr).to.match(/chaos recover/);
    expect(service.state(), 'the refused run touched nothing').to.equal('T');

    const recovered = await runChaos(['recover', ...stateArgs], { cwd: dir.path });
    expect(recovered.code, recovered.stdout + recovered.stderr).to.equal(0);
    expect(recovered.stdout).to.match(/reverted.*process\.pause/);
    expect(service.state()).to.be.oneOf(['S', 'R']);
    await waitFor('the orphaned worker to be stopped', () => !isProcessAlive({ pid: workerPid.pid, startTime: workerPid.startTime }));
    const entries = (await readLedgerRuns(join(dir.path, 'state'))).flatMap((r) => r.entries);
    expect(entries.find((e) => e.type === 'process.pause')?.status).to.equal('reverted');
    expect(entries.find((e) => e.type === 'process.managed')?.status).to.equal('reverted');
    // The dead runner's lock is gone too: nothing of the crashed run is left in the state directory but its ledger.
    expect(await readdir(join(dir.path, 'state', 'locks'))).to.deep.equal([]);

    const again = await runChaos(['recover', ...stateArgs], { cwd: dir.path });
    expect(again.code).to.equal(0);
    expect(again.stdout).to.match(/nothing to recover/);
  });
});

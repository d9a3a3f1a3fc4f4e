/**
 * No lab process outlives its owner: after kill -9 of the runner mid-failover, the next run refuses (exit 5) until
 * `chaos recover` stops the lab and every instance it started; after SIGTERM, the run reverts and stops the lab
 * itself. Processes are checked by pid and start time, from the lab's own event log. (A finished run is covered
 * for every experiment in experiments.test.ts.)
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { readLedgerRuns } from '../../src/state/ledger.js';
import { readEventLog } from '../../src/lab/event-log.js';
import { aliveOf, killLabProcesses, labProcessesIn } from '../support/lab-processes.js';
import { ROOT, runChaos, startChaos, stopAllChaos, tempDir, waitFor } from '../support/cli.js';

describe('the lab after a crashed or aborted run', function () {
  this.timeout(90_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let events: string;

  beforeEach(async () => {
    dir = await tempDir();
    events = join(dir.path, 'run', 'lab-lab', 'events.jsonl');
  });
  afterEach(async () => {
    await stopAllChaos();
    killLabProcesses(events);
    await dir.cleanup();
  });

  const outageStarted = () => readEventLog(events).some((e) => e.event === 'region-outage');

  it('kill -9 mid-failover: the next run refuses, recover stops the lab and its instances', async () => {
    const state = ['--state-dir', join(dir.path, 'state')];
    const runner = startChaos(['run', 'experiments/region-failover.yaml', ...state, '-o', join(dir.path, 'run')], { cwd: ROOT });
    await waitFor('region A to be down', outageStarted, 30_000);
    runner.child.kill('SIGKILL');
    await runner.exited;
    const processes = labProcessesIn(events);
    expect(processes, 'the lab and its 4 instances').to.have.length.of.at.least(5);
    expect(aliveOf(processes), 'the lab outlived its killed runner').to.have.length(processes.length);

    const refused = await runChaos(['run', 'experiments/region-failover.yaml', ...state, '-o', join(dir.path, 'run2')], { cwd: ROOT });
    expect(refused.code, refused.stdout + refused.stderr).to.equal(5);
    expect(refused.stdout + refused.stderr).to.match(/E_UNRECOVERED_FAULTS/);

    const recovered = await runChaos(['recover', ...state], { cwd: ROOT, timeoutMs: 30_000 });
    expect(recovered.code, recovered.stdout + recovered.stderr).to.equal(0);
    expect(recovered.stdout).to.match(/process\.managed/);
    await waitFor('every lab process to be gone', () => aliveOf(labProcessesIn(events)).length === 0, 10_000);
    const entries = (await readLedgerRuns(join(dir.path, 'state'))).flatMap((r) => r.entries);
    expect(entries.filter((e) => e.status !== 'reverted').map((e) => `${e.type}: ${e.status}`)).to.deep.equal([]);
  });

  it('SIGTERM mid-failover: the run reverts, exits 3, and stops the lab and its instances', async () => {
    const runner = startChaos(['run', 'experiments/region-failover.yaml', '--state-dir', join(dir.path, 'state'), '-o', join(dir.path, 'run')], { cwd: ROOT });
    await waitFor('region A to be down', outageStarted, 30_000);
    runner.child.kill('SIGTERM');
    const out = await runner.exited;
    expect(out.code, out.stdout + out.stderr).to.equal(3);
    const log = readEventLog(events).map((e) => e.event);
    expect(log).to.include('region-restored');
    expect(log.at(-1)).to.equal('lab-stopped');
    expect(aliveOf(labProcessesIn(events))).to.deep.equal([]);
  });
});

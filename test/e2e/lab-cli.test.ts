/**
 * `chaos lab up|down|status` through the built binary: `up` leaves a lab running detached from the CLI, a run with
 * a lab target of the same name uses it and leaves it running, and `down` stops exactly that lab and every
 * instance it started.
 */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive } from '../../src/os/process-identity.js';
import { readEventLog } from '../../src/lab/event-log.js';
import { aliveOf, killLabProcesses, labProcessesIn } from '../support/lab-processes.js';
import { ROOT, runChaos, stopAllChaos, tempDir } from '../support/cli.js';

describe('chaos lab up | status | down', function () {
  this.timeout(90_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let state: string;
  const events = () => join(state, 'lab', 'default', 'events.jsonl');

  beforeEach(async () => {
    dir = await tempDir();
    state = join(dir.path, 'state');
  });
  afterEach(async () => {
    await stopAllChaos();
    killLabProcesses(events());
    await dir.cleanup();
  });

  it('keeps a lab running after `up` returns, a run uses it and leaves it running, and `down` stops every process of it', async () => {
    const up = await runChaos(['lab', 'up', '--state-dir', state, '--json'], { cwd: dir.path, timeoutMs: 30_000 });
    expect(up.code, up.stdout + up.stderr).to.equal(0);
    const info = JSON.parse(up.stdout) as { pid: number; startTime: string; url: string; alreadyRunning: boolean };
    expect(info.alreadyRunning).to.equal(false);
    expect(isProcessAlive(info), 'the lab outlives `chaos lab up`').to.equal(true);
    expect(existsSync(join(state, 'lab', 'default', 'lab.json'))).to.equal(true);

    const status = await runChaos(['lab', 'status', '--state-dir', state, '--json'], { cwd: dir.path });
    expect(status.code, status.stderr).to.equal(0);
    const live = JSON.parse(status.stdout) as { running: boolean; status: { primary: string; regions: Record<string, { healthy: boolean; instances: Array<{ running: boolean }> }> } };
    expect(live.running).to.equal(true);
    expect(live.status.primary).to.equal('a');
    for (const region of ['a', 'b']) {
      expect(live.status.regions[region]!.healthy).to.equal(true);
      expect(live.status.regions[region]!.instances.filter((i) => i.running)).to.have.length(2);
    }
    const human = await runChaos(['lab', 'status', '--state-dir', state], { cwd: dir.path });
    expect(human.stdout).to.include(info.url).and.match(/a-1\s+running/);

    const again = await runChaos(['lab', 'up', '--state-dir', state], { cwd: dir.path });
    expect(again.code).to.equal(0);
    expect(again.stdout).to.match(/already runs/);

    // pod-kill's lab target has the default name: the run uses this lab, so its kill and restart land in its log.
    const run = join(dir.path, 'run');
    const out = await runChaos(['run', 'experiments/pod-kill.yaml', '--state-dir', state, '-o', run], { cwd: ROOT, timeoutMs: 60_000 });
    expect(out.code, out.stdout + out.stderr).to.equal(0);
    expect(isProcessAlive(info), 'the run leaves a lab it did not start running').to.equal(true);
    expect(existsSync(join(run, 'lab-lab')), 'the run started no lab of its own').to.equal(false);
    const log = readEventLog(events()).map((e) => e.event);
    expect(log).to.include.members(['instance-exited', 'instance-restarted']);

    const processes = labProcessesIn(events());
    // The lab, its 4 instances, and the instance the supervisor restarted after the kill.
    expect(processes).to.have.length(6);
    const down = await runChaos(['lab', 'down', '--state-dir', state], { cwd: dir.path, timeoutMs: 30_000 });
    expect(down.code, down.stdout + down.stderr).to.equal(0);
    expect(down.stdout).to.match(/stopped lab "default"/);
    expect(aliveOf(processes), 'lab processes alive after `down`').to.deep.equal([]);
    expect(readEventLog(events()).at(-1)!.event).to.equal('lab-stopped');

    const after = await runChaos(['lab', 'status', '--state-dir', state, '--json'], { cwd: dir.path });
    expect(JSON.parse(after.stdout)).to.deep.equal({ running: false });
    const twice = await runChaos(['lab', 'down', '--state-dir', state], { cwd: dir.path });
    expect(twice.code).to.equal(0);
    expect(twice.stdout).to.match(/no lab "default" is running/);
  });

  it('rejects invalid settings before starting anything', async () => {
    const out = await runChaos(['lab', 'up', '--state-dir', state, '--replication-lag', 'soon'], { cwd: dir.path });
    expect(out.code).to.equal(2);
    expect(out.stderr).to.match(/E_LAB_SETTINGS/).and.match(/replicationLag/);
    expect(existsSync(join(state, 'lab', 'default', 'lab.json'))).to.equal(false);
  });
});

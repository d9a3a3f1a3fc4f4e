/**
 * The file state backend on a directory two hosts share (a PVC, NFS): liveness is a heartbeat the runner renews,
 * so a runner on host A killed with kill -9 mid-fault is recovered from host B (another CHAOS_HOSTNAME: B cannot
 * see A's processes) once the heartbeat expired, and not before; `chaos recover --watch` on B does it unattended;
 * two runners on two hosts racing for one target: exactly one runs.
 */
import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runChaos, startChaos, startService, stopAllChaos, tempDir, waitFor, writeExperiment, type TestService } from '../support/cli.js';

describe('file state backend on a shared directory, two hosts', function () {
  this.timeout(120_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let service: TestService;
  let file: string;
  let shared: string;

  const chaos = (host: string, args: string[]) => runChaos(args, { cwd: dir.path, env: { CHAOS_HOSTNAME: host }, timeoutMs: 60_000 });
  const paused = () => service.state() === 'T';

  async function runnerKilledMidFault(state: string): Promise<number> {
    const runner = startChaos(['run', file, '--state', state, '-o', join(dir.path, 'run-a')], { cwd: dir.path, env: { CHAOS_HOSTNAME: 'host-a' }, timeoutMs: 80_000 });
    await waitFor('the fault injected', paused, 20_000);
    runner.child.kill('SIGKILL');
    const killedAt = Date.now();
    await runner.exited;
    return killedAt;
  }

  beforeEach(async () => {
    dir = await tempDir('state-file-e2e-');
    service = await startService(dir.path);
    shared = join(dir.path, 'shared');
    file = await writeExperiment(dir.path, 'pause.yaml', `version: 1
name: pause
targets:
  svc: { type: process, pidFile: "${service.pidFile}" }
method:
  - fault: { type: process.pause, target: svc }
  - pause: 60s
`);
  });
  afterEach(async () => {
    await stopAllChaos();
    await service.stop();
    await dir.cleanup();
  });

  it('host B leaves a run alone while its heartbeat is fresh, and reverts it once the heartbeat expired', async () => {
    // Long enough that the first recover runs before the heartbeat expires, even on a busy machine.
    const state = `file:${shared}?lease=20s&renew=4s`;
    await runnerKilledMidFault(state);
    const heartbeat = (await readdir(join(shared, 'liveness'))).find((n) => n.endsWith('.heartbeat.json'));
    expect(heartbeat, 'a heartbeat file in the shared directory').to.be.a('string');
    const expiresAt = Date.parse(JSON.parse(await readFile(join(shared, 'liveness', heartbeat!), 'utf8')).renewedAt) + 20_000;
    const early = await chaos('host-b', ['recover', '--state', state]);
    expect(Date.now(), 'the machine is too busy: the first recover ended after the heartbeat expired (rerun)').to.be.below(expiresAt);
    expect(early.code, early.stderr).to.equal(0);
    expect(early.stdout + early.stderr, early.stdout + early.stderr).to.match(/skipped run .*renewed/);
    expect(paused(), 'not resumed behind a fresh heartbeat').to.equal(true);
    await waitFor('the heartbeat to expire', () => Date.now() > expiresAt, 25_000);
    const late = await chaos('host-b', ['recover', '--state', state]);
    expect(late.code, late.stdout + late.stderr).to.equal(0);
    expect(late.stdout).to.match(/reverted fault process\.pause/);
    expect(paused()).to.equal(false);
    expect(await readdir(join(shared, 'liveness')), 'heartbeat and claim removed').to.deep.equal([]);
  });

  it('`chaos recover --watch` on host B reverts it within the heartbeat duration plus one poll', async () => {
    const state = `file:${shared}?lease=2s&renew=500ms`;
    const watcher = startChaos(['recover', '--watch', '--poll', '500ms', '--state', state], { cwd: dir.path, env: { CHAOS_HOSTNAME: 'host-b' }, timeoutMs: 60_000 });
    const killedAt = await runnerKilledMidFault(state);
    await waitFor('the reconciler to resume the service', () => !paused(), 20_000);
    const took = Date.now() - killedAt;
    console.log(`      kill -9 → reverted by recover --watch (file backend): ${took} ms (heartbeat 2 s, renew 500 ms, poll 500 ms)`);
    // The bound is 2.5 s; 2 s more for process round trips on a machine shared with other test runs.
    expect(took).to.be.at.most(4_500);
    watcher.child.kill('SIGTERM');
    expect((await watcher.exited).code).to.equal(0);
  });

  it('lets exactly one of two runners on two hosts take the target', async () => {
    const state = `file:${shared}?lease=4s&renew=1s`;
    const quick = await writeExperiment(dir.path, 'quick.yaml', `version: 1
name: quick
targets:
  svc: { type: process, pidFile: "${service.pidFile}" }
method:
  - fault: { type: process.pause, target: svc }
    duration: 4s
`);
    const [a, b] = await Promise.all(['host-a', 'host-b'].map((host) => chaos(host, ['run', quick, '--state', state, '-o', join(dir.path, `race-${host}`)])));
    expect([a!.code, b!.code].sort(), a!.stderr + b!.stderr).to.deep.equal([0, 5]);
    const loser = a!.code === 5 ? a! : b!;
    expect(loser.stdout + loser.stderr).to.match(/E_TARGET_LOCKED/);
    expect(paused()).to.equal(false);
  });
});

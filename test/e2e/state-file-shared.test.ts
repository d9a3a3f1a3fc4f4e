/**
 * The file state backend on a directory two hosts share (a PVC, NFS): liveness is a heartbeat the runner renews,
 * so a runner on host A killed with kill -9 mid-fault is recovered from host B (another CHAOS_HOSTNAME: B cannot
 * see A's processes) once the heartbeat expired, and not before; `chaos recover --watch` on B does it unattended;
 * two runners on two hosts racing for one target: exactly one runs. The system under test is one both hosts reach
 * (a Deployment on the fake API server); a fault on a process of host A is left by B for a recover on A.
 */
import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runChaos, startChaos, startService, stopAllChaos, tempDir, waitFor, writeExperiment, type TestService } from '../support/cli.js';
import { deploymentManifest } from '../support/fake-kube/deployment.js';
import { writeKubeconfig } from '../support/fake-kube/kubeconfig.js';
import { startFakeKube, type FakeKube } from '../support/fake-kube/server.js';


describe('file state backend on a shared directory, two hosts', function () {
  this.timeout(120_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let kube: FakeKube;
  let kubeconfig: string;
  let file: string;
  let shared: string;

  const env = (host: string) => ({ CHAOS_HOSTNAME: host, KUBECONFIG: kubeconfig });
  const chaos = (host: string, args: string[]) => runChaos(args, { cwd: dir.path, env: env(host), timeoutMs: 60_000 });
  const replicas = () => kube.store.get('deployments', 'shop', 'web')?.spec.replicas as number | undefined;
  const scaledDown = () => replicas() === 1;

  async function runnerKilledMidFault(state: string, experiment = file, injected = scaledDown): Promise<number> {
    const runner = startChaos(['run', experiment, '--state', state, '-o', join(dir.path, 'run-a')], { cwd: dir.path, env: env('host-a'), timeoutMs: 80_000 });
    await waitFor('the fault injected', injected, 20_000);
    runner.child.kill('SIGKILL');
    const killedAt = Date.now();
    await runner.exited;
    return killedAt;
  }

  const scaleExperiment = (name: string, tail: string) => writeExperiment(dir.path, `${name}.yaml`, `version: 1
name: ${name}
targets:
  k8s: { type: kubernetes, kubeconfig: "${kubeconfig}", namespace: shop }
safety: { allowNamespaces: [shop] }
method:
  - fault: { type: kubernetes.scale, target: k8s, name: web, replicas: ${tail}
`);

  beforeEach(async () => {
    dir = await tempDir('state-file-e2e-');
    shared = join(dir.path, 'shared');
    kube = await startFakeKube({ namespaces: ['shop'], podReadyDelayMs: 50, recreateDelayMs: 100 });
    kubeconfig = await writeKubeconfig(dir.path, kube.url, { namespace: 'shop' });
    kube.store.create('deployments', deploymentManifest('web', 'shop', 4));
    file = await scaleExperiment('scale', '1 }\n  - pause: 60s');
  });
  afterEach(async () => {
    await stopAllChaos();
    await kube.close();
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
    expect(scaledDown(), 'not reverted behind a fresh heartbeat').to.equal(true);
    await waitFor('the heartbeat to expire', () => Date.now() > expiresAt, 25_000);
    const late = await chaos('host-b', ['recover', '--state', state]);
    expect(late.code, late.stdout + late.stderr).to.equal(0);
    expect(late.stdout).to.match(/reverted fault kubernetes\.scale/);
    expect(replicas()).to.equal(4);
    expect(await readdir(join(shared, 'liveness')), 'heartbeat and claim removed').to.deep.equal([]);
  });

  it('`chaos recover --watch` on host B reverts it within the heartbeat duration plus one poll', async () => {
    const state = `file:${shared}?lease=2s&renew=500ms`;
    const watcher = startChaos(['recover', '--watch', '--poll', '500ms', '--state', state], { cwd: dir.path, env: env('host-b'), timeoutMs: 60_000 });
    const killedAt = await runnerKilledMidFault(state);
    await waitFor('the reconciler to revert', () => replicas() === 4, 20_000);
    const took = Date.now() - killedAt;
    console.log(`      kill -9 → reverted by recover --watch (file backend): ${took} ms (heartbeat 2 s, renew 500 ms, poll 500 ms)`);
    // The bound is 2.5 s; 2 s more for process round trips on a machine shared with other test runs.
    expect(took).to.be.at.most(4_500);
    watcher.child.kill('SIGTERM');
    expect((await watcher.exited).code).to.equal(0);
  });

  it('lets exactly one of two runners on two hosts take the target', async () => {
    const state = `file:${shared}?lease=4s&renew=1s`;
    const quick = await scaleExperiment('quick', '3 }\n    duration: 4s');
    const [a, b] = await Promise.all(['host-a', 'host-b'].map((host) => chaos(host, ['run', quick, '--state', state, '-o', join(dir.path, `race-${host}`)])));
    expect([a!.code, b!.code].sort(), a!.stderr + b!.stderr).to.deep.equal([0, 5]);
    const loser = a!.code === 5 ? a! : b!;
    expect(loser.stdout + loser.stderr).to.match(/E_TARGET_LOCKED/);
    expect(replicas()).to.equal(4);
  });

  describe('a fault on a process of host A', () => {
    let service: TestService;
    beforeEach(async () => {
      service = await startService(dir.path);
    });
    afterEach(() => service.stop());

    it('is left by host B for a recover on host A, which resumes it (B cannot signal A\'s processes)', async () => {
      const state = `file:${shared}?lease=2s&renew=500ms`;
      const pause = await writeExperiment(dir.path, 'pause.yaml', `version: 1
name: pause
targets:
  svc: { type: process, pidFile: "${service.pidFile}" }
method:
  - fault: { type: process.pause, target: svc }
  - pause: 60s
`);
      const paused = () => service.state() === 'T';
      await runnerKilledMidFault(state, pause, paused);
      await waitFor('the heartbeat to expire', async () => {
        const names = await readdir(join(shared, 'liveness')).catch(() => []);
        const beat = names.find((n) => n.endsWith('.heartbeat.json'));
        return beat !== undefined && Date.parse(JSON.parse(await readFile(join(shared, 'liveness', beat), 'utf8')).renewedAt) + 2_000 < Date.now();
      }, 10_000);
      const fromB = await chaos('host-b', ['recover', '--state', state]);
      expect(fromB.code, fromB.stdout + fromB.stderr).to.equal(0);
      expect(fromB.stdout).to.match(/skipped run .*: 1 of its entries \(process\.pause\) act on processes of host host-a: run chaos recover there/);
      expect(paused(), 'host B did not claim to resume a process it cannot see').to.equal(true);
      const fromA = await chaos('host-a', ['recover', '--state', state]);
      expect(fromA.code, fromA.stdout + fromA.stderr).to.equal(0);
      expect(fromA.stdout).to.match(/reverted fault process\.pause/);
      expect(paused()).to.equal(false);
    });
  });
});

/**
 * `kubernetes.node-drain` through the built `chaos` binary against the fake API server: cordon, evictions through
 * the eviction subresource (the reconciler reschedules the pods elsewhere), DaemonSet pods left alone, the journal,
 * the uncordon on revert; a PodDisruptionBudget that forbids eviction; and `kill -9` + `chaos recover`.
 */
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { journalIn, runChaos, startChaos, stopAllChaos, tempDir, waitFor, writeExperiment } from '../support/cli.js';
import { writeKubeconfig } from '../support/fake-kube/kubeconfig.js';
import { startFakeKube, type FakeKube } from '../support/fake-kube/server.js';

const DEPLOYMENT = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'shop' },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'shop:1.0' }] } } },
});

describe('kubernetes.node-drain through the chaos binary, against the fake API server', function () {
  this.timeout(90_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let kube: FakeKube;
  let kubeconfig: string;

  const running = () => kube.store.list('pods', 'shop').filter((p) => p.status?.phase === 'Running');
  const unschedulable = (node: string) => kube.store.get('nodes', null, node)?.spec?.unschedulable === true;
  const evictions = () => kube.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/eviction'));

  /** Four web pods spread over three nodes; returns a node that runs at least one of them. */
  async function startCluster(): Promise<string> {
    kube = await startFakeKube({ namespaces: ['shop'], podReadyDelayMs: 100, recreateDelayMs: 300 });
    kubeconfig = await writeKubeconfig(dir.path, kube.url, { namespace: 'shop' });
    kube.store.create('deployments', DEPLOYMENT('web', 4));
    await waitFor('4 running pods', () => running().length === 4);
    return running()[0]!.spec.nodeName as string;
  }

  const experiment = (body: string) => `version: 1
name: drain
targets:
  k8s: { type: kubernetes, kubeconfig: "${kubeconfig}", namespace: shop }
safety: { allowNamespaces: [shop] }
${body}`;

  const chaos = (args: string[]) => runChaos([...args, '--state-dir', join(dir.path, 'state')], { cwd: dir.path, timeoutMs: 60_000 });
  const startRun = (file: string) => startChaos(['run', file, '--state-dir', join(dir.path, 'state'), '-o', join(dir.path, 'run')], { cwd: dir.path, timeoutMs: 60_000 });

  beforeEach(async () => {
    dir = await tempDir('kube-drain-');
  });
  afterEach(async () => {
    await stopAllChaos();
    await kube?.close();
    await dir.cleanup();
  });

  it('cordons the node, evicts its pods (rescheduled elsewhere) but not DaemonSet pods, journals them, and uncordons on revert', async () => {
    const node = await startCluster();
    const onNode = running().filter((p) => p.spec.nodeName === node).map((p) => p.metadata.name as string).sort();
    kube.store.create('pods', {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'agent-x', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'ds-uid', controller: true }] },
      spec: { nodeName: node, containers: [{ name: 'agent', image: 'agent:1' }] },
      status: { phase: 'Running' },
    });
    const file = await writeExperiment(dir.path, 'drain.yaml', experiment(`method:
  - fault: { type: kubernetes.node-drain, target: k8s, name: ${node}, timeout: 20s }
    duration: 3s
`));
    const plan = await chaos(['plan', file]);
    expect(plan.code, plan.stderr).to.equal(0);
    expect(plan.stdout).to.include(`cordon node(s) ${node}`);
    for (const name of onNode) expect(plan.stdout).to.include(`shop/${name}`);
    expect(plan.stdout).to.include('DaemonSet pods stay: shop/agent-x');
    expect(kube.requests.some((r) => r.method === 'PATCH' || r.path.endsWith('/eviction'))).to.equal(false);

    const runner = startRun(file);
    await waitFor('the node cordoned', () => unschedulable(node), 20_000);
    // While cordoned, the reconciler replaces the evicted pods on the other nodes.
    await waitFor('4 running web pods, none on the drained node', () => {
      const web = running().filter((p) => p.metadata.labels?.app === 'web');
      return web.length === 4 && web.every((p) => p.spec.nodeName !== node) && unschedulable(node);
    }, 20_000);
    const result = await runner.exited;
    expect(result.code, result.stderr + result.stdout).to.equal(0);
    expect(unschedulable(node)).to.equal(false);

    const evicted = evictions().map((r) => r.path.split('/').at(-2)!).sort();
    expect(evicted).to.deep.equal(onNode);
    expect((evictions()[0]!.body as { kind: string; apiVersion: string })).to.deep.include({ kind: 'Eviction', apiVersion: 'policy/v1' });
    expect(kube.store.get('pods', 'shop', 'agent-x')).to.not.equal(undefined);
    const journal = await readFile(journalIn(join(dir.path, 'run')), 'utf8');
    for (const name of onNode) expect(journal).to.include(`"${name}"`);
    expect(journal).to.match(/"wasUnschedulable":\s*false/);
  });

  it('fails clearly within its timeout when a PodDisruptionBudget forbids eviction, deletes nothing, and the revert uncordons', async () => {
    const node = await startCluster();
    kube.store.create('poddisruptionbudgets', {
      apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'shop' },
      spec: { minAvailable: 4, selector: { matchLabels: { app: 'web' } } },
    });
    await waitFor('the budget allowing no disruption', () => kube.store.get('poddisruptionbudgets', 'shop', 'web')?.status?.disruptionsAllowed === 0);
    const before = running().map((p) => p.metadata.name).sort();
    const file = await writeExperiment(dir.path, 'pdb.yaml', experiment(`method:
  - fault: { type: kubernetes.node-drain, target: k8s, name: ${node}, timeout: 3s }
`));
    const started = Date.now();
    const result = await chaos(['run', file, '-o', join(dir.path, 'run')]);
    const elapsed = Date.now() - started;
    expect(result.code).to.equal(1);
    expect(result.stdout + result.stderr).to.include('could not be evicted within the timeout').and.to.include('disruption budget');
    // 3 s of retries plus process start, connect and revert; 25 s leaves room for a loaded 2-core machine while
    // still catching a drain that ignored its timeout (the runner's own limit is 60 s).
    expect(elapsed).to.be.below(25_000);
    expect(evictions().length).to.be.at.least(2, 'the eviction was retried');
    expect(kube.requests.some((r) => r.method === 'DELETE' && r.path.includes('/pods/'))).to.equal(false);
    expect(running().map((p) => p.metadata.name).sort()).to.deep.equal(before);
    expect(unschedulable(node)).to.equal(false);
  });

  it('uncordons the node with chaos recover after the runner is killed with SIGKILL mid-drain', async () => {
    const node = await startCluster();
    // A budget that never allows a disruption keeps the runner inside the drain, cordon done, evictions retrying.
    kube.store.create('poddisruptionbudgets', {
      apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'shop' },
      spec: { minAvailable: 4, selector: { matchLabels: { app: 'web' } } },
    });
    await waitFor('the budget allowing no disruption', () => kube.store.get('poddisruptionbudgets', 'shop', 'web')?.status?.disruptionsAllowed === 0);
    const file = await writeExperiment(dir.path, 'crash.yaml', experiment(`method:
  - fault: { type: kubernetes.node-drain, target: k8s, name: ${node}, timeout: 50s }
`));
    const runner = startRun(file);
    await waitFor('an eviction refused after the cordon', () => unschedulable(node) && evictions().length > 0, 20_000);
    runner.child.kill('SIGKILL');
    await runner.exited;
    expect(unschedulable(node)).to.equal(true);
    const recovered = await chaos(['recover']);
    expect(recovered.code, recovered.stderr + recovered.stdout).to.equal(0);
    expect(unschedulable(node)).to.equal(false);
  });
});

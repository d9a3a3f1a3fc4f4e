/**
 * Every Kubernetes fault and action through the built `chaos` binary against the fake API server: what the server
 * saw and what the journal says, plus the refusals (403, missing namespace, namespace not allowed, blast radius)
 * and a revert after `kill -9` + `chaos recover`.
 */
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { journalIn, runChaos, startChaos, stopAllChaos, tempDir, waitFor, writeExperiment } from '../support/cli.js';
import { writeKubeconfig } from '../support/fake-kube/kubeconfig.js';
import { startFakeKube, type DenyRule, type FakeKube } from '../support/fake-kube/server.js';

const DEPLOYMENT = (name: string, replicas: number, image = 'shop:1.0') => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'shop' },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } } },
});

describe('kubernetes faults and actions through the chaos binary, against the fake API server', function () {
  this.timeout(90_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let kube: FakeKube;
  let kubeconfig: string;

  async function startCluster(deny: DenyRule[] = []) {
    kube = await startFakeKube({ namespaces: ['shop'], podReadyDelayMs: 100, recreateDelayMs: 300, deny });
    kubeconfig = await writeKubeconfig(dir.path, kube.url, { namespace: 'shop' });
    kube.store.create('deployments', DEPLOYMENT('web', 4));
    await waitFor('4 ready pods', () => kube.store.list('pods', 'shop').filter((p) => p.status?.phase === 'Running').length === 4);
  }

  const experiment = (body: string, safety = 'safety: { allowNamespaces: [shop] }') => `version: 1
name: kube
targets:
  k8s: { type: kubernetes, kubeconfig: "${kubeconfig}", namespace: shop }
${safety}
${body}`;

  const chaos = (args: string[]) => runChaos([...args, '--state-dir', join(dir.path, 'state')], { cwd: dir.path, timeoutMs: 60_000 });

  beforeEach(async () => {
    dir = await tempDir('kube-e2e-');
  });
  afterEach(async () => {
    await stopAllChaos();
    await kube?.close();
    await dir.cleanup();
  });

  it('kills exactly the pods chosen by the seed, records them, and the steady state holds again after replacement', async () => {
    await startCluster();
    const file = await writeExperiment(dir.path, 'kill.yaml', experiment(`steadyState:
  - probe: { type: kubernetes.pods-ready, target: k8s, labelSelector: app=web }
method:
  - fault: { type: kubernetes.pod-kill, target: k8s, labelSelector: app=web, select: 2, seed: 42, gracePeriod: 5s }
  - pause: 2s
`));
    const before = kube.store.list('pods', 'shop').map((p) => p.metadata.name);
    const plan = await chaos(['plan', file]);
    expect(plan.code, plan.stderr).to.equal(0);
    const result = await chaos(['run', file, '-o', join(dir.path, 'run')]);
    expect(result.code, result.stderr + result.stdout).to.equal(0);
    const deletes = kube.requests.filter((r) => r.method === 'DELETE' && r.path.includes('/pods/'));
    expect(deletes).to.have.length(2);
    expect(deletes.every((r) => r.query.gracePeriodSeconds === '5')).to.equal(true);
    const killed = deletes.map((r) => r.path.split('/').pop()!).sort();
    expect(before).to.include.members(killed);
    // The plan with the same seed named the same pods the run killed.
    for (const name of killed) expect(plan.stdout).to.include(name);
    const journal = await readFile(journalIn(join(dir.path, 'run')), 'utf8');
    for (const name of killed) expect(journal).to.include(name);
    expect(journal).to.match(/"seed":\s*42/);
  });

  it('scales a deployment down and restores the recorded count, also after kill -9 and chaos recover', async () => {
    await startCluster();
    const file = await writeExperiment(dir.path, 'scale.yaml', experiment(`method:
  - fault: { type: kubernetes.scale, target: k8s, name: web, replicas: 1 }
  - pause: 60s
`, 'safety: { allowNamespaces: [shop], blastRadius: { maxPods: 3 } }'));
    const runner = startChaos(['run', file, '--state-dir', join(dir.path, 'state'), '-o', join(dir.path, 'run')], { cwd: dir.path, timeoutMs: 60_000 });
    await waitFor('scaled to 1', () => kube.store.get('deployments', 'shop', 'web')?.spec.replicas === 1, 20_000);
    runner.child.kill('SIGKILL');
    await runner.exited;
    expect(kube.store.get('deployments', 'shop', 'web')?.spec.replicas).to.equal(1);
    const refused = await chaos(['run', file, '-o', join(dir.path, 'run2')]);
    expect(refused.code).to.equal(5);
    const recovered = await chaos(['recover']);
    expect(recovered.code, recovered.stderr).to.equal(0);
    expect(kube.store.get('deployments', 'shop', 'web')?.spec.replicas).to.equal(4);
  });

  it('refuses a fault whose pods exceed safety.blastRadius, in plan and in run, before changing anything', async () => {
    await startCluster();
    const file = await writeExperiment(dir.path, 'radius.yaml', experiment(`method:
  - fault: { type: kubernetes.pod-kill, target: k8s, labelSelector: app=web, select: all }
`, 'safety: { allowNamespaces: [shop], blastRadius: { maxPercent: 50% } }'));
    const plan = await chaos(['plan', file]);
    expect(plan.stdout + plan.stderr).to.include('blast radius too large: 4 of 4 pods (100%) exceed maxPercent 50%');
    const run = await chaos(['run', file, '-o', join(dir.path, 'run')]);
    expect(run.code).to.equal(1);
    expect(run.stdout + run.stderr).to.include('blast radius too large');
    expect(kube.requests.filter((r) => r.method === 'DELETE')).to.have.length(0);
  });

  it('refuses a destructive fault in a namespace missing from safety.allowNamespaces', async () => {
    await startCluster();
    const file = await writeExperiment(dir.path, 'ns.yaml', experiment(`method:
  - fault: { type: kubernetes.pod-kill, target: k8s, labelSelector: app=web }
`, ''));
    const run = await chaos(['run', file, '-o', join(dir.path, 'run')]);
    expect(run.code).to.equal(1);
    expect(run.stdout + run.stderr).to.include('not in safety.allowNamespaces');
    expect(kube.requests.filter((r) => r.method === 'DELETE')).to.have.length(0);
  });

  it('stops before any fault when the user may not delete pods (403), naming the permission', async () => {
    await startCluster([{ verb: 'delete', resource: 'pods', namespace: 'shop' }]);
    const file = await writeExperiment(dir.path, 'denied.yaml', experiment(`method:
  - fault: { type: kubernetes.pod-kill, target: k8s, labelSelector: app=web }
`));
    const run = await chaos(['run', file, '-o', join(dir.path, 'run')]);
    expect(run.code).to.equal(5);
    expect(run.stdout + run.stderr).to.include('missing permissions: delete pods in namespace shop');
    expect(kube.requests.some((r) => r.path.includes('selfsubjectaccessreviews'))).to.equal(true);
  });

  it('stops before any fault when the namespace does not exist', async () => {
    await startCluster();
    const file = await writeExperiment(dir.path, 'missing.yaml', experiment(`method:
  - fault: { type: kubernetes.pod-kill, target: k8s, labelSelector: app=web }
`).replace('namespace: shop }', 'namespace: nowhere }'));
    const run = await chaos(['run', file, '-o', join(dir.path, 'run')]);
    expect(run.code).to.equal(5);
    expect(run.stdout + run.stderr).to.include('namespace "nowhere" does not exist');
  });

  it('partitions pods with a NetworkPolicy and deletes it on revert', async () => {
    await startCluster();
    const file = await writeExperiment(dir.path, 'partition.yaml', experiment(`method:
  - fault: { type: kubernetes.network-partition, target: k8s, podSelector: { app: web }, direction: ingress, peer: { app: frontend } }
    duration: 1s
`));
    const run = await chaos(['run', file, '-o', join(dir.path, 'run')]);
    expect(run.code, run.stderr).to.equal(0);
    const created = kube.requests.find((r) => r.method === 'POST' && r.path.endsWith('/networkpolicies')) as { body: any } | undefined;
    expect(created?.body.spec).to.deep.include({ podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] });
    expect(created?.body.spec.ingress[0].from[0].podSelector.matchExpressions).to.deep.equal([{ key: 'app', operator: 'NotIn', values: ['frontend'] }]);
    expect(kube.store.list('networkpolicies', 'shop')).to.have.length(0);
  });

  it('creates a Chaos Mesh resource and deletes it on revert', async () => {
    await startCluster();
    const file = await writeExperiment(dir.path, 'mesh.yaml', experiment(`method:
  - fault: { type: kubernetes.chaos-mesh, target: k8s, kind: PodChaos, spec: { action: pod-failure, mode: one, selector: { labelSelectors: { app: web } }, duration: 30s } }
    duration: 500ms
`));
    const run = await chaos(['run', file, '-o', join(dir.path, 'run')]);
    expect(run.code, run.stderr).to.equal(0);
    const created = kube.requests.find((r) => r.method === 'POST' && r.path.endsWith('/podchaos'));
    expect(created?.path).to.equal('/apis/chaos-mesh.org/v1alpha1/namespaces/shop/podchaos');
    expect(kube.store.list('podchaos', 'shop')).to.have.length(0);
  });

  it('deploys a new image, rolls back to the previous revision, and reports both durations', async () => {
    await startCluster();
    const file = await writeExperiment(dir.path, 'drill.yaml', experiment(`steadyState:
  - probe: { type: kubernetes.deployment-available, target: k8s, deployment: web }
method:
  - action: { type: kubernetes.deploy, target: k8s, deployment: web, image: "shop:2.0", timeout: 30s }
    name: deploy
  - probe: { type: kubernetes.resource, target: k8s, apiVersion: apps/v1, kind: Deployment, name: web, path: "$.spec.template.spec.containers[0].image", expect: "shop:2.0" }
  - action: { type: kubernetes.rollback, target: k8s, deployment: web, timeout: 30s, maxDuration: 30s }
    name: rollback
  - action: { type: kubernetes.rollout-restart, target: k8s, deployment: web, timeout: 30s }
`));
    const run = await chaos(['run', file, '-o', join(dir.path, 'run'), '--json']);
    expect(run.code, run.stderr + run.stdout).to.equal(0);
    const d = kube.store.get('deployments', 'shop', 'web')!;
    expect(d.spec.template.spec.containers[0].image).to.equal('shop:1.0');
    // deploy → 2, rollback renumbers revision 1 as 3, restart → 4.
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).to.equal('4');
    const journal = await readFile(journalIn(join(dir.path, 'run')), 'utf8');
    expect(journal).to.match(/"rolloutMs":\s*\d+/).and.to.match(/"rollbackMs":\s*\d+/).and.to.match(/"toRevision":\s*1/);
  });
});

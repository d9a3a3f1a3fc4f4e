/**
 * The fake API server checked with the real kubectl: if kubectl can list, delete, scale, roll out, roll back, drain
 * and apply against it, the fake speaks the wire format and the plugin's tests against it mean something.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { writeKubeconfig } from '../support/fake-kube/kubeconfig.js';
import { kubectlWith } from '../support/fake-kube/kubectl.js';
import { startFakeKube, type FakeKube } from '../support/fake-kube/server.js';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: "nginx:1.25" }] }
`;

describe('fake Kubernetes API server, checked with the real kubectl', function () {
  this.timeout(90_000);
  let kube: FakeKube;
  let dir: string;
  let kubeconfig: string;

  const kubectl = kubectlWith(() => kubeconfig);
  const getJson = async (...args: string[]) => JSON.parse(await kubectl('get', ...args, '-o', 'json'));
  const podNames = async () => ((await getJson('pods')).items as any[]).map((p) => p.metadata.name as string).sort();

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-wire-'));
    kube = await startFakeKube({ namespaces: ['shop'], podReadyDelayMs: 100, recreateDelayMs: 200 });
    kubeconfig = await writeKubeconfig(dir, kube.url, { namespace: 'shop' });
    await writeFile(join(dir, 'deploy.yaml'), DEPLOYMENT);
    await kubectl('apply', '-f', join(dir, 'deploy.yaml'));
    await kubectl('rollout', 'status', 'deployment/web', '--timeout=30s');
  });

  afterEach(async () => {
    await kube.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists pods with `get -o json`, ready and placed on nodes', async () => {
    const pods = (await getJson('pods', '-l', 'app=web')).items as any[];
    expect(pods).to.have.length(3);
    for (const pod of pods) {
      expect(pod.status.phase).to.equal('Running');
      expect(pod.spec.nodeName).to.match(/^node-\d$/);
      expect(pod.metadata.ownerReferences[0].kind).to.equal('ReplicaSet');
    }
  });

  it('replaces a pod deleted with `delete pod` after the recreate delay', async () => {
    const before = await podNames();
    await kubectl('delete', 'pod', before[0]!);
    expect(await podNames()).to.not.include(before[0]);
    await kubectl('rollout', 'status', 'deployment/web', '--timeout=20s');
    const deadline = Date.now() + 10_000;
    let after = await podNames();
    while (after.length < 3 && Date.now() < deadline) after = await podNames();
    expect(after).to.have.length(3);
    expect(after).to.not.include(before[0]);
  });

  it('rolls out `set image`, records revisions, and rolls back with `rollout undo`', async () => {
    await kubectl('set', 'image', 'deployment/web', 'web=nginx:1.26');
    const status = await kubectl('rollout', 'status', 'deployment/web', '--timeout=30s');
    expect(status).to.include('successfully rolled out');
    expect(await kubectl('rollout', 'history', 'deployment/web')).to.match(/1\s+<none>\s+2\s+<none>/);
    const rollout = await getJson('deployment', 'web');
    expect(rollout.metadata.annotations['deployment.kubernetes.io/revision']).to.equal('2');
    expect(rollout.status).to.include({ replicas: 3, updatedReplicas: 3, availableReplicas: 3, observedGeneration: rollout.metadata.generation });

    await kubectl('rollout', 'undo', 'deployment/web');
    await kubectl('rollout', 'status', 'deployment/web', '--timeout=30s');
    const undone = await getJson('deployment', 'web');
    expect(undone.spec.template.spec.containers[0].image).to.equal('nginx:1.25');
    // The ReplicaSet of revision 1 becomes revision 3, as the real controller renumbers it; no new ReplicaSet appears.
    const history = await kubectl('rollout', 'history', 'deployment/web');
    expect(history).to.match(/2\s+<none>\s+3\s+<none>/).and.not.match(/^1\s/m);
    expect((await getJson('replicasets')).items).to.have.length(2);
    const images = ((await getJson('pods', '-l', 'app=web')).items as any[]).map((p) => p.spec.containers[0].image);
    expect(images).to.deep.equal(['nginx:1.25', 'nginx:1.25', 'nginx:1.25']);
  });

  it('fails `rollout status` on a deployment that exceeds its progress deadline', async () => {
    await kubectl('patch', 'deployment/web', '-p', '{"spec":{"progressDeadlineSeconds":1}}');
    await kubectl('set', 'image', 'deployment/web', 'web=nginx:broken');
    const failed = await kubectl('rollout', 'status', 'deployment/web', '--timeout=20s').then(
      () => null,
      (error: { stderr: string }) => error.stderr,
    );
    expect(failed).to.include('exceeded its progress deadline');
  });

  it('scales through the scale subresource with `scale`', async () => {
    await kubectl('scale', 'deployment/web', '--replicas=5');
    await kubectl('rollout', 'status', 'deployment/web', '--timeout=30s');
    expect(await podNames()).to.have.length(5);
    expect(kube.requests.some((r) => r.method === 'PATCH' && r.path.endsWith('/deployments/web/scale'))).to.equal(true);
  });

  it('cordons, drains through evictions that respect a PodDisruptionBudget, and uncordons', async () => {
    await writeFile(join(dir, 'pdb.yaml'), 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: { name: web, namespace: shop }\nspec: { minAvailable: 2, selector: { matchLabels: { app: web } } }\n');
    await kubectl('apply', '-f', join(dir, 'pdb.yaml'));
    await kubectl('cordon', 'node-1');
    expect((await getJson('node', 'node-1')).spec.unschedulable).to.equal(true);
    await kubectl('drain', 'node-1', '--ignore-daemonsets', '--timeout=40s');
    const pods = (await getJson('pods')).items as any[];
    expect(pods.map((p) => p.spec.nodeName)).to.not.include('node-1');
    expect(kube.requests.filter((r) => r.path.endsWith('/eviction')).length).to.be.greaterThan(0);
    await kubectl('uncordon', 'node-1');
    expect((await getJson('node', 'node-1')).spec.unschedulable).to.not.equal(true);
  });

  it('creates and updates a NetworkPolicy with `apply`', async () => {
    const file = join(dir, 'netpol.yaml');
    const policy = (types: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: deny-web, namespace: shop }\nspec:\n  podSelector: { matchLabels: { app: web } }\n  policyTypes: [${types}]\n`;
    await writeFile(file, policy('Ingress'));
    expect(await kubectl('apply', '-f', file)).to.include('created');
    await writeFile(file, policy('Ingress, Egress'));
    expect(await kubectl('apply', '-f', file)).to.include('configured');
    expect((await getJson('networkpolicy', 'deny-web')).spec.policyTypes).to.deep.equal(['Ingress', 'Egress']);
  });

  it('answers Status errors kubectl prints: 404, 403, 409, 422', async () => {
    const stderrOf = (p: Promise<unknown>) => p.then(() => '', (e: { stderr: string }) => e.stderr);
    expect(await stderrOf(kubectl('get', 'pod', 'nope'))).to.include('pods "nope" not found');
    expect(await stderrOf(kubectl('create', '-f', join(dir, 'deploy.yaml')))).to.include('deployments.apps "web" already exists');
    expect(await stderrOf(kubectl('scale', 'deployment/web', '--replicas=-1'))).to.match(/replicas|invalid/i);
    kube.setDeny([{ verb: 'list', resource: 'pods', namespace: 'shop' }]);
    expect(await stderrOf(kubectl('get', 'pods'))).to.include('cannot list resource "pods"');
  });
});

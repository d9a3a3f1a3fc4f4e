/**
 * The kinds chaosdrill keeps its state in (v1 ConfigMaps, coordination.k8s.io/v1 Leases) and the RBAC it emits
 * (ServiceAccount, Role, RoleBinding, ClusterRole, ClusterRoleBinding), served by the fake API server and checked
 * with the real kubectl: what kubectl accepts, prints and refuses here is what the state backend's tests rely on.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { writeKubeconfig } from '../support/fake-kube/kubeconfig.js';
import { kubectlWith } from '../support/fake-kube/kubectl.js';
import { startFakeKube, type FakeKube } from '../support/fake-kube/server.js';

const RBAC = `apiVersion: v1
kind: ServiceAccount
metadata: { name: chaos-runner, namespace: chaos }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: chaos-runner, namespace: chaos }
rules:
  - { apiGroups: [coordination.k8s.io], resources: [leases], verbs: [get, list, create, update, delete] }
  - { apiGroups: [""], resources: [configmaps], verbs: [get, list, create, patch] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: chaos-runner, namespace: chaos }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: chaos-runner }
subjects: [{ kind: ServiceAccount, name: chaos-runner, namespace: chaos }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: chaos-runner-nodes }
rules: [{ apiGroups: [""], resources: [nodes], verbs: [get, list, patch] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: chaos-runner-nodes }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: chaos-runner-nodes }
subjects: [{ kind: ServiceAccount, name: chaos-runner, namespace: chaos }]
`;

const lease = (renewTime: string, extra = '') => `apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: { name: chaos-run-a, namespace: chaos${extra} }
spec: { holderIdentity: pod-a/4242, leaseDurationSeconds: 15, renewTime: "${renewTime}", acquireTime: "${renewTime}", leaseTransitions: 0 }
`;

describe('fake API server: Leases, ConfigMaps and RBAC, checked with the real kubectl', function () {
  this.timeout(60_000);
  let kube: FakeKube;
  let dir: string;
  let kubeconfig: string;

  const kubectl = kubectlWith(() => kubeconfig);
  const stderrOf = (p: Promise<unknown>) => p.then(() => '(kubectl succeeded)', (e: Error) => e.message);
  const file = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-state-kinds-'));
    kube = await startFakeKube({ namespaces: ['chaos'] });
    kubeconfig = await writeKubeconfig(dir, kube.url, { namespace: 'chaos' });
  });
  afterEach(async () => {
    await kube.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('applies a ServiceAccount, Role, RoleBinding, ClusterRole and ClusterRoleBinding, and re-applies them unchanged', async () => {
    const path = await file('rbac.yaml', RBAC);
    const created = await kubectl('apply', '-f', path);
    expect(created.trim().split('\n')).to.deep.equal([
      'serviceaccount/chaos-runner created',
      'role.rbac.authorization.k8s.io/chaos-runner created',
      'rolebinding.rbac.authorization.k8s.io/chaos-runner created',
      'clusterrole.rbac.authorization.k8s.io/chaos-runner-nodes created',
      'clusterrolebinding.rbac.authorization.k8s.io/chaos-runner-nodes created',
    ]);
    expect(await kubectl('apply', '-f', path)).to.match(/serviceaccount\/chaos-runner unchanged/);
    const role = JSON.parse(await kubectl('get', 'role', 'chaos-runner', '-o', 'json'));
    expect(role.rules[1]).to.deep.equal({ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'create', 'patch'] });
    expect(await kubectl('get', 'sa', '-o', 'name')).to.include('serviceaccount/chaos-runner');
  });

  it('refuses RBAC kubectl or the server would refuse: a misspelled field, a rule without verbs, a changed roleRef', async () => {
    const misspelled = await file('bad-field.yaml', RBAC.replace('verbs: [get, list, create, patch]', 'verb: [get]'));
    expect(await stderrOf(kubectl('apply', '-f', misspelled))).to.include('unknown field "verb" in io.k8s.api.rbac.v1.PolicyRule');
    const noVerbs = await file('no-verbs.yaml', RBAC.replace('verbs: [get, list, create, patch]', 'verbs: []'));
    expect(await stderrOf(kubectl('apply', '-f', noVerbs, '--validate=false'))).to.include('rules[1].verbs: Required value');
    await kubectl('apply', '-f', await file('rbac.yaml', RBAC));
    const changed = await file('changed.yaml', RBAC.replace('roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: chaos-runner }', 'roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: chaos-runner-nodes }'));
    expect(await stderrOf(kubectl('apply', '-f', changed))).to.include('cannot change roleRef');
  });

  it('serves Leases: created, listed by `get lease`, read back with six fractional digits in UTC', async () => {
    expect(await kubectl('create', '-f', await file('lease.yaml', lease('2026-12-03T14:10:11.123456+01:00')))).to.include('lease.coordination.k8s.io/chaos-run-a created');
    expect(await kubectl('get', 'lease')).to.match(/^NAME\s+.*\nchaos-run-a\s/);
    const read = parse(await kubectl('get', 'lease', 'chaos-run-a', '-o', 'yaml'));
    expect(read.spec).to.include({ holderIdentity: 'pod-a/4242', leaseDurationSeconds: 15, renewTime: '2026-12-03T13:10:11.123456Z' });
    expect(read.metadata.resourceVersion).to.match(/^\d+$/);
  });

  it("refuses a Lease time in JavaScript's millisecond form, as the real server's MicroTime decoder does", async () => {
    const message = await stderrOf(kubectl('create', '-f', await file('lease.yaml', lease('2026-12-03T13:10:11.123Z'))));
    expect(message).to.include('parsing time "2026-12-03T13:10:11.123Z" as "2006-01-02T15:04:05.000000Z07:00"');
    const zero = await stderrOf(kubectl('create', '-f', await file('zero.yaml', lease('2026-12-03T13:10:11.123456Z').replace('leaseDurationSeconds: 15', 'leaseDurationSeconds: 0'))));
    expect(zero).to.include('spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0');
  });

  it('answers 409 Conflict to a replace or a patch carrying a stale resourceVersion, and AlreadyExists to a second create', async () => {
    const path = await file('lease.yaml', lease('2026-12-03T13:10:11.123456Z'));
    await kubectl('create', '-f', path);
    expect(await stderrOf(kubectl('create', '-f', path))).to.include('leases.coordination.k8s.io "chaos-run-a" already exists');
    const stale = parse(await kubectl('get', 'lease', 'chaos-run-a', '-o', 'yaml'));
    await kubectl('patch', 'lease', 'chaos-run-a', '--type', 'merge', '-p', '{"spec":{"holderIdentity":"pod-b/7"}}');
    stale.spec.holderIdentity = 'pod-c/9';
    const replace = await file('stale.yaml', JSON.stringify(stale));
    expect(await stderrOf(kubectl('replace', '-f', replace))).to.include('the object has been modified; please apply your changes to the latest version and try again');
    const patch = JSON.stringify({ metadata: { resourceVersion: stale.metadata.resourceVersion }, spec: { holderIdentity: 'pod-c/9' } });
    expect(await stderrOf(kubectl('patch', 'lease', 'chaos-run-a', '--type', 'merge', '-p', patch))).to.include('the object has been modified');
    expect(JSON.parse(await kubectl('get', 'lease', 'chaos-run-a', '-o', 'json')).spec.holderIdentity).to.equal('pod-b/7');
  });

  it('serves ConfigMaps read back by `get configmap -o yaml`, and refuses one over the 1 MiB limit', async () => {
    await kubectl('create', 'configmap', 'chaos-ledger-a', '--from-literal=00000001={"kind":"run"}');
    const read = parse(await kubectl('get', 'configmap', 'chaos-ledger-a', '-o', 'yaml'));
    expect(read.data).to.deep.equal({ '00000001': '{"kind":"run"}' });
    await writeFile(join(dir, 'big'), 'x'.repeat(1024 * 1024));
    const tooBig = await stderrOf(kubectl('create', 'configmap', 'too-big', `--from-file=big=${join(dir, 'big')}`));
    expect(tooBig).to.include('Too long: must have at most 1048576 bytes');
    await writeFile(join(dir, 'fits'), 'x'.repeat(1024 * 1024 - 'fits'.length));
    expect(await kubectl('create', 'configmap', 'fits', `--from-file=fits=${join(dir, 'fits')}`)).to.include('configmap/fits created');
  });
});

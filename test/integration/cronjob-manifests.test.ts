/**
 * `chaos schedule --emit cronjob|reconciler`: the manifests are accepted by the real kubectl (`create
 * --dry-run=client`, with kubectl's own schema validation against the fake API server's OpenAPI definitions of
 * ConfigMap, CronJob and the RBAC kinds, and `apply` for real), and say what they must: Forbid, the plan's schedule
 * and time zone, no retries, a non-root pod, a ConfigMap whose keys are the files the mounted plan names, the state
 * in the API server (no emptyDir for it), and RBAC granting exactly what the plan's experiments need.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { writeKubeconfig } from '../support/fake-kube/kubeconfig.js';
import { kubectlWith } from '../support/fake-kube/kubectl.js';
import { startFakeKube, type FakeKube } from '../support/fake-kube/server.js';
import { ROOT, tempDir } from '../support/cli.js';

const run = promisify(execFile);

describe('chaos schedule --emit cronjob', function () {
  this.timeout(60_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let kube: FakeKube;
  let kubeconfig: string;

  beforeEach(async () => {
    dir = await tempDir();
    kube = await startFakeKube({ namespaces: ['chaos', 'shop'] });
    kubeconfig = await writeKubeconfig(dir.path, kube.url, { namespace: 'chaos' });
  });
  afterEach(async () => {
    await kube.close();
    await dir.cleanup();
  });

  async function chaos(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      argv, env: {}, cwd: ROOT, stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) },
      signal: new AbortController().signal, user: 'test', host: 'test', pid: process.pid,
    };
    return { code: await main(io), stdout, stderr };
  }

  const kubectl = kubectlWith(() => kubeconfig);

  const kubectlCreate = async (path: string) => {
    try {
      return (await run('kubectl', ['create', '--dry-run=client', '-f', path, '-o', 'yaml'], { env: { ...process.env, KUBECONFIG: kubeconfig }, timeout: 30_000 })).stdout;
    } catch (error) {
      throw new Error(`kubectl rejected ${path}: ${(error as { stderr?: string }).stderr ?? String(error)}`);
    }
  };

  it('writes a ConfigMap and a CronJob for the weekly game day that kubectl accepts, with the plan rewritten to the mounted keys', async () => {
    const out = join(dir.path, 'k8s');
    const result = await chaos(['schedule', 'scenarios/weekly-gameday.yaml', '--emit', 'cronjob', '--image', 'registry.example/chaosdrill-runner:1', '--namespace', 'chaos', '-o', out]);
    expect(result.code, result.stderr).to.equal(0);

    const accepted = parseAllDocuments(await kubectlCreate(out)).map((d) => d.toJS());
    expect(accepted.map((m) => m.kind)).to.deep.equal(['ConfigMap', 'ServiceAccount', 'Role', 'RoleBinding', 'CronJob']);

    const text = await readFile(join(out, 'gameday-cronjob.yaml'), 'utf8');
    // Plain YAML, no anchors or aliases: some manifest tools do not resolve them.
    expect(text).to.not.match(/[&*]a\d+\b/);
    const manifests = parseAllDocuments(text).map((d) => d.toJS());
    const configMap = manifests.find((m) => m.kind === 'ConfigMap');
    const cronJob = manifests.find((m) => m.kind === 'CronJob');
    const spec = cronJob.spec;
    expect(spec).to.include({ schedule: '0 9 * * 2', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Forbid' });
    expect(spec.startingDeadlineSeconds).to.be.a('number');
    expect(spec.jobTemplate.spec.backoffLimit).to.equal(0);
    const pod = spec.jobTemplate.spec.template.spec;
    expect(pod.restartPolicy).to.equal('Never');
    expect(pod.securityContext.runAsNonRoot).to.equal(true);
    const container = pod.containers[0];
    expect(container.image).to.equal('registry.example/chaosdrill-runner:1');
    expect(container.args.slice(0, 2)).to.deep.equal(['gameday', '/etc/chaosdrill/gameday/plan.yaml']);
    // The state lives in the API server: a runner pod that dies leaves its ledger where the reconciler finds it.
    expect(container.args.join(' ')).to.include('--state kubernetes://chaos');
    expect(pod.volumes.map((v: { name: string }) => v.name)).to.not.include('state');
    expect(pod.serviceAccountName).to.equal(cronJob.metadata.name);
    // The lab experiments of the weekly plan use no Kubernetes API: the role grants the state's objects only.
    const role = manifests.find((m) => m.kind === 'Role');
    expect(role.metadata.namespace).to.equal('chaos');
    expect(role.rules).to.deep.equal([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'get', 'list', 'patch'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'delete', 'get', 'list', 'update'] },
    ]);
    const mount = container.volumeMounts.find((m: { name: string }) => m.name === 'plan');
    expect(mount.mountPath).to.equal('/etc/chaosdrill/gameday');
    expect(pod.volumes.find((v: { name: string }) => v.name === 'plan').configMap.name).to.equal(configMap.metadata.name);

    // Every key is a valid ConfigMap key; the mounted plan names exactly the experiment keys, and each is the file.
    const keys = Object.keys(configMap.data);
    for (const key of keys) expect(key).to.match(/^[-._a-zA-Z0-9]+$/);
    const plan = parse(configMap.data['plan.yaml']);
    const paths = plan.experiments.map((e: { path: string }) => e.path);
    expect(paths).to.deep.equal(['experiments_region-failover.yaml', 'experiments_network-partition.yaml', 'experiments_latency-injection.yaml', 'experiments_process-pause.yaml']);
    expect([...keys].sort()).to.deep.equal(['plan.yaml', ...paths].sort());
    expect(configMap.data['experiments_region-failover.yaml']).to.equal(await readFile(join(ROOT, 'experiments/region-failover.yaml'), 'utf8'));
    expect(plan.schedule).to.deep.equal({ cron: '0 9 * * 2', timezone: 'Europe/Berlin' });
  });

  /** A plan whose experiments scale a Deployment in `shop` and drain a node: a Role there, a ClusterRole for nodes. */
  async function kubernetesPlan(): Promise<string> {
    const experiment = (name: string, method: string) => `version: 1
name: ${name}
targets:
  k8s: { type: kubernetes, inCluster: true, namespace: shop }
safety: { allowNamespaces: [shop] }
steadyState:
  - probe: { type: kubernetes.deployment-available, target: k8s, deployment: web }
method:
${method}
`;
    await writeFile(join(dir.path, 'scale.yaml'), experiment('scale', '  - fault: { type: kubernetes.scale, target: k8s, name: web, replicas: 1 }\n    duration: 30s'));
    await writeFile(join(dir.path, 'drain.yaml'), experiment('drain', '  - fault: { type: kubernetes.node-drain, target: k8s, name: node-1 }\n    duration: 30s'));
    const plan = join(dir.path, 'plan.yaml');
    await writeFile(plan, `version: 1
name: shop-drills
title: Shop drills
experiments: [{ path: scale.yaml }, { path: drain.yaml }]
schedule: { cron: "0 9 * * 2" }
`);
    return plan;
  }

  it('grants exactly the permissions the plan\'s experiments check, in their namespace, plus the state\'s; kubectl applies it all', async () => {
    const out = join(dir.path, 'k8s');
    const result = await chaos(['schedule', await kubernetesPlan(), '--emit', 'cronjob', '--namespace', 'chaos', '-o', out]);
    expect(result.code, result.stderr).to.equal(0);
    const manifests = parseAllDocuments(await readFile(join(out, 'gameday-cronjob.yaml'), 'utf8')).map((d) => d.toJS());
    const where = (m: { kind: string; metadata: { name: string; namespace?: string } }) => `${m.kind} ${m.metadata.namespace ?? '-'}/${m.metadata.name}`;
    expect(manifests.map(where)).to.deep.equal([
      'ConfigMap chaos/chaos-gameday-shop-drills-plan',
      'ServiceAccount chaos/chaos-gameday-shop-drills',
      'Role chaos/chaos-gameday-shop-drills',
      'RoleBinding chaos/chaos-gameday-shop-drills',
      'Role shop/chaos-gameday-shop-drills',
      'RoleBinding shop/chaos-gameday-shop-drills',
      'ClusterRole -/chaos-gameday-shop-drills-chaos',
      'ClusterRoleBinding -/chaos-gameday-shop-drills-chaos',
      'CronJob chaos/chaos-gameday-shop-drills',
    ]);
    const roleIn = (kind: string, ns?: string) => manifests.find((m) => m.kind === kind && m.metadata.namespace === ns);
    // kubernetes.scale and the deployment-available probe; the drain's eviction is namespaced too.
    expect(roleIn('Role', 'shop').rules).to.deep.equal([
      { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] },
      { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['patch'] },
    ]);
    expect(roleIn('ClusterRole').rules).to.deep.equal([
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'patch'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
    ]);
    for (const binding of manifests.filter((m) => m.kind.endsWith('Binding'))) {
      expect(binding.subjects).to.deep.equal([{ kind: 'ServiceAccount', name: 'chaos-gameday-shop-drills', namespace: 'chaos' }]);
    }

    const applied = await kubectl('apply', '-f', out);
    expect(applied.trim().split('\n')).to.have.length(manifests.length);
    expect(kube.store.get('rolebindings', 'shop', 'chaos-gameday-shop-drills')?.roleRef).to.deep.equal({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'chaos-gameday-shop-drills' });
    expect(await kubectl('apply', '-f', out)).to.not.match(/created|configured/);
  });

  it('writes the reconciler: a Deployment running chaos recover --watch on the state namespace, with its own account; kubectl applies it', async () => {
    const out = join(dir.path, 'k8s');
    const result = await chaos(['schedule', await kubernetesPlan(), '--emit', 'reconciler', '--image', 'registry.example/chaosdrill-runner:1', '--namespace', 'chaos', '-o', out]);
    expect(result.code, result.stderr).to.equal(0);
    const manifests = parseAllDocuments(await readFile(join(out, 'reconciler.yaml'), 'utf8')).map((d) => d.toJS());
    expect(manifests.map((m) => m.kind)).to.deep.equal(['ServiceAccount', 'Role', 'RoleBinding', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding', 'Deployment']);
    const deployment = manifests.at(-1);
    expect(deployment.spec).to.include({ replicas: 1 });
    expect(deployment.spec.strategy).to.deep.equal({ type: 'Recreate' });
    const pod = deployment.spec.template.spec;
    expect(pod.serviceAccountName).to.equal('chaos-reconciler');
    expect(pod.containers[0].image).to.equal('registry.example/chaosdrill-runner:1');
    expect(pod.containers[0].args).to.deep.equal(['recover', '--watch', '--poll', '2s', '--state', 'kubernetes://chaos', '--state-dir', '/tmp/chaosdrill']);
    expect(pod.containers[0].envFrom).to.deep.equal([{ secretRef: { name: 'chaos-gameday-shop-drills-env', optional: true } }]);
    await kubectl('apply', '-f', out);
    expect(kube.store.get('deployments', 'chaos', 'chaos-reconciler')).to.not.equal(undefined);
    expect(kube.store.get('roles', 'shop', 'chaos-reconciler')?.rules).to.have.length(3);
  });

  it('is checked by kubectl for real: a misspelled field in the CronJob is rejected', async () => {
    const out = join(dir.path, 'k8s');
    expect((await chaos(['schedule', 'scenarios/weekly-gameday.yaml', '--emit', 'cronjob', '-o', out])).code).to.equal(0);
    const file = join(out, 'gameday-cronjob.yaml');
    const text = await readFile(file, 'utf8');
    await mkdir(join(dir.path, 'bad'));
    await writeFile(join(dir.path, 'bad', 'm.yaml'), text.replace('concurrencyPolicy: Forbid', 'concurencyPolicy: Forbid'));
    let message = '';
    await kubectlCreate(join(dir.path, 'bad')).catch((error: Error) => (message = error.message));
    expect(message).to.include('unknown field "concurencyPolicy" in io.k8s.api.batch.v1.CronJobSpec');
  });

  it('refuses a plan whose cron has seconds (a CronJob takes 5 fields), with exit 2', async () => {
    const plan = join(dir.path, 'plan.yaml');
    await writeFile(plan, `version: 1
name: fast
title: Fast
experiments: [{ path: ${relative(dir.path, join(ROOT, 'experiments/process-pause.yaml'))} }]
schedule: { cron: "*/2 * * * * *" }
`);
    const result = await chaos(['schedule', plan, '--emit', 'cronjob']);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('error E_CRON_SECONDS');
  });
});

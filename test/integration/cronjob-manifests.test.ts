/**
 * `chaos schedule --emit cronjob`: the manifests are accepted by the real kubectl (`create --dry-run=client`, with
 * kubectl's own schema validation against the fake API server's OpenAPI definitions of ConfigMap and CronJob), and
 * say what they must: Forbid, the plan's schedule and time zone, no retries, a non-root pod, and a ConfigMap whose
 * keys are the files the mounted plan names.
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
    kube = await startFakeKube({ namespaces: ['chaos'] });
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
    expect(accepted.map((m) => m.kind)).to.deep.equal(['ConfigMap', 'CronJob']);

    const text = await readFile(join(out, 'gameday-cronjob.yaml'), 'utf8');
    // Plain YAML, no anchors or aliases: some manifest tools do not resolve them.
    expect(text).to.not.match(/[&*]a\d+\b/);
    const [configMap, cronJob] = parseAllDocuments(text).map((d) => d.toJS());
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

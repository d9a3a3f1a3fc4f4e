/**
 * `chaos init` in-process: every kind of target scaffolds a file that `chaos validate` accepts, with the fault and
 * objectives asked for; questions on a terminal; refusals (existing file, missing or bad flags) that write nothing.
 * That a scaffold runs end to end against a real service is test/e2e/init-run.test.ts.
 */
import { expect } from 'chai';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadExperiment } from '../../src/experiment/load.js';
import type { LoadedExperiment } from '../../src/experiment/types.js';
import { createRegistry } from '../../src/plugins/registry.js';
import { runCliInProcess } from '../support/cli-in-process.js';
import { ROOT, tempDir } from '../support/cli.js';

const URL = 'http://127.0.0.1:8080/healthz';

describe('chaos init', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  beforeEach(async () => (dir = await tempDir('chaosdrill-init-')));
  afterEach(() => dir.cleanup());

  const init = (args: string[], typed?: string[]) => runCliInProcess(['init', ...args], { cwd: dir.path, ...(typed ? { typed } : {}) });
  const load = (file: string): Promise<LoadedExperiment> => loadExperiment(join(dir.path, file), { registry: createRegistry(), env: {} });
  const validate = (file: string) => runCliInProcess(['validate', file], { cwd: dir.path });
  const faultOf = (loaded: LoadedExperiment) => {
    const step = loaded.experiment.method.find((s) => s.kind === 'fault');
    if (step?.kind !== 'fault') throw new Error('no fault step');
    return step;
  };

  const kinds: Array<{ what: string; flags: string[]; target: Record<string, unknown>; fault: string }> = [
    { what: 'a process the run starts (--command)', flags: ['--command', 'node server.js --port 8080'], target: { type: 'process', command: ['node', 'server.js', '--port', '8080'] }, fault: 'process.pause' },
    { what: 'a process the run starts, killed', flags: ['--command', 'node server.js', '--fault', 'kill'], target: { type: 'process' }, fault: 'process.kill' },
    { what: 'a running process (--pid-file)', flags: ['--pid-file', '/run/orders.pid'], target: { type: 'process', pidFile: '/run/orders.pid' }, fault: 'process.pause' },
    { what: 'a running process, killed', flags: ['--pid-file', '/run/orders.pid', '--fault', 'process.kill'], target: { type: 'process' }, fault: 'process.kill' },
    { what: 'a Toxiproxy proxy, latency', flags: ['--toxiproxy-url', 'http://127.0.0.1:8474', '--proxy', 'orders'], target: { type: 'toxiproxy', url: 'http://127.0.0.1:8474' }, fault: 'toxiproxy.latency' },
    { what: 'a Toxiproxy proxy, partition', flags: ['--toxiproxy-url', 'http://127.0.0.1:8474', '--proxy', 'orders', '--fault', 'partition'], target: { type: 'toxiproxy' }, fault: 'toxiproxy.down' },
    { what: 'Kubernetes pods', flags: ['--namespace', 'shop', '--selector', 'app=web', '--context', 'staging'], target: { type: 'kubernetes', namespace: 'shop', context: 'staging' }, fault: 'kubernetes.pod-kill' },
  ];
  for (const kind of kinds) {
    it(`scaffolds ${kind.what}: a file chaos validate accepts, with load, steady state, the fault, RTO and SLOs`, async () => {
      const out = await init(['drill.yaml', '--url', URL, ...kind.flags]);
      expect(out.code, out.stderr).to.equal(0);
      expect(out.stdout).to.include('wrote drill.yaml').and.include('npx chaos run drill.yaml');
      const checked = await validate('drill.yaml');
      expect(checked.code, checked.stderr).to.equal(0);
      const { experiment } = await load('drill.yaml');
      expect(experiment.name).to.equal('drill');
      expect(Object.values(experiment.targets)[0]?.type).to.equal(kind.target.type);
      for (const [key, value] of Object.entries(kind.target).filter(([k]) => k !== 'type')) {
        expect((Object.values(experiment.targets)[0]?.config as Record<string, unknown>)[key], key).to.deep.equal(value);
      }
      expect(faultOf({ experiment } as LoadedExperiment).type).to.equal(kind.fault);
      expect(experiment.load).to.include({ type: 'http', url: URL, rate: 20 });
      expect(experiment.objectives.rto?.maxMs).to.equal(30_000);
      expect(experiment.objectives.slo.map((s) => s.window)).to.include('before');
      expect(experiment.steadyState[0]?.name).to.equal('the service answers');
      if (kind.target.type === 'kubernetes') expect(experiment.safety.allowNamespaces).to.deep.equal(['shop']);
    });
  }

  it('teaches in comments and points editors at the JSON Schema of this package', async () => {
    const out = await init(['experiments/orders.yaml', '--url', URL, '--pid-file', 'orders.pid']);
    expect(out.code, out.stderr).to.equal(0);
    const text = await readFile(join(dir.path, 'experiments/orders.yaml'), 'utf8');
    for (const why of ['# Targets are', '# The steady-state hypothesis', '# The method', '# Objectives decide the exit code', 'open model']) {
      expect(text).to.include(why);
    }
    // The temp dir is outside this repository: a relative path to the schema would only hold on this machine.
    expect(text).not.to.match(/^# yaml-language-server: \$schema=/m);
    expect(text).to.include('npx chaos schema > experiment.schema.json');
  });

  it('links the schema by a relative path when chaosdrill is installed inside the project', async () => {
    const out = await runCliInProcess(['init', join(dir.path, 'x.yaml'), '--url', URL, '--pid-file', 'x.pid'], { cwd: ROOT });
    expect(out.code, out.stderr).to.equal(0);
    const text = await readFile(join(dir.path, 'x.yaml'), 'utf8');
    const schema = /\$schema=(\S+)/.exec(text)?.[1];
    expect(schema, text.slice(0, 200)).to.be.a('string');
    expect(join(dir.path, schema!)).to.equal(join(ROOT, 'schema/experiment.schema.json'));
  });

  it('uses the objectives and timing asked for, and watches until the RTO budget is spent', async () => {
    const out = await init(['t.yaml', '--url', URL, '--command', 'node s.js', '--duration', '3s', '--rto', '12s', '--availability', '99.5%', '--p95', '250ms', '--rate', '40']);
    expect(out.code, out.stderr).to.equal(0);
    const { experiment } = await load('t.yaml');
    expect(experiment.objectives.rto?.maxMs).to.equal(12_000);
    expect(experiment.load).to.include({ rate: 40 });
    expect(faultOf({ experiment } as LoadedExperiment).durationMs).to.equal(3_000);
    const pauses = experiment.method.filter((s) => s.kind === 'pause').map((s) => (s as { durationMs: number }).durationMs);
    expect(pauses).to.deep.equal([5_000, 9_000]);
    expect(JSON.stringify(experiment.objectives.slo)).to.include('0.995').and.include('250');
  });

  it('refuses to overwrite a file without --force, and replaces it with --force', async () => {
    await writeFile(join(dir.path, 'mine.yaml'), 'precious\n');
    const refused = await init(['mine.yaml', '--url', URL, '--pid-file', 'p.pid']);
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.match(/E_INIT_EXISTS: mine\.yaml exists/).and.match(/--force/);
    expect(await readFile(join(dir.path, 'mine.yaml'), 'utf8')).to.equal('precious\n');
    const forced = await init(['mine.yaml', '--url', URL, '--pid-file', 'p.pid', '--force']);
    expect(forced.code, forced.stderr).to.equal(0);
    expect(await readFile(join(dir.path, 'mine.yaml'), 'utf8')).to.include('pidFile: "p.pid"');
  });

  it('refuses the default file when it exists, before asking anything', async () => {
    await mkdir(join(dir.path, 'experiments'));
    await writeFile(join(dir.path, 'experiments/my-service.yaml'), 'precious\n');
    const out = await init(['--url', URL, '--pid-file', 'p.pid']);
    expect(out.code).to.equal(2);
    expect(out.stderr).to.include('experiments/my-service.yaml exists');
  });

  it('without a terminal, names every missing flag with an example, exit 2, and writes nothing', async () => {
    const none = await init([]);
    expect(none.code).to.equal(2);
    expect(none.stderr).to.match(/E_INIT_MISSING: chaos init needs --url and a fault target/).and.match(/hint: .*--command "node server.js"/);
    const toxiproxy = await init(['--url', URL, '--proxy', 'orders']);
    expect(toxiproxy.code).to.equal(2);
    expect(toxiproxy.stderr).to.match(/needs --toxiproxy-url/);
    const kube = await init(['--url', URL, '--selector', 'app=web']);
    expect(kube.stderr).to.match(/needs --namespace/);
    expect(await readdir(dir.path)).to.deep.equal([]);
  });

  it('lists every bad flag at once, exit 2, and writes nothing', async () => {
    const out = await init(['--url', 'ftp://x', '--command', 'node a.js | tee log', '--duration', '5', '--availability', '120%', '--fault', 'latency', '--namespace', 'shop']);
    expect(out.code).to.equal(2);
    expect(out.stderr).to.include('--url: "ftp://x" is not an http or https URL');
    expect(out.stderr).to.include('--command: "node a.js | tee log" uses "|"');
    expect(out.stderr).to.include('--duration: "5" has no unit');
    expect(out.stderr).to.include('--availability: "120%" is outside 0%..100%');
    expect(out.stderr).to.match(/--command \(a process target\) and --namespace \(a kubernetes target\)/);
    expect(await readdir(dir.path)).to.deep.equal([]);
  });

  it('refuses a fault the target does not offer, and shell variables in a command', async () => {
    const fault = await init(['--url', URL, '--pid-file', 'p.pid', '--fault', 'latency']);
    expect(fault.code).to.equal(2);
    expect(fault.stderr).to.include('--fault latency: a pid-file target takes pause, kill');
    const variable = await init(['--url', URL, '--command', 'node server.js --port $PORT']);
    expect(variable.code).to.equal(2);
    expect(variable.stderr).to.include('uses $PORT: the command runs without a shell');
  });

  it('says when the RTO budget cannot be met by construction', async () => {
    const out = await init(['--url', URL, '--pid-file', 'p.pid', '--duration', '30s', '--rto', '10s']);
    expect(out.code, out.stderr).to.equal(0);
    expect(out.stderr).to.match(/warning: the RTO budget \(10s\) is not longer than the fault \(30s\)/);
    expect(out.stderr).to.match(/warning: p\.pid does not exist/);
  });

  it('on a terminal, asks for what the flags do not say, asks again after a wrong answer, and takes defaults', async () => {
    const out = await init(['--url', URL], [
      'orders-api', // name
      '7', // not a choice: asked again
      '3', // Toxiproxy
      '', // API URL: the default
      'orders proxy', // not a proxy name: asked again
      'orders',
      '2', // partition
      '5s', // duration
      '', // RTO: default, the duration + 20 s
      '', // availability
      '300ms', // p95
    ]);
    expect(out.code, out.stderr + out.stdout).to.equal(0);
    expect(out.stdout).to.include('answer a number from 1 to 4').and.include('is not a proxy name');
    expect(out.stdout).not.to.include('URL of your service'); // given as a flag
    const { experiment } = await load('experiments/orders-api.yaml');
    expect(Object.values(experiment.targets)[0]?.config).to.deep.include({ url: 'http://127.0.0.1:8474' });
    expect(faultOf({ experiment } as LoadedExperiment)).to.include({ type: 'toxiproxy.down', durationMs: 5_000 });
    expect(experiment.objectives.rto?.maxMs).to.equal(25_000);
  });

  it('on a terminal, stops with exit 2 and writes nothing when the input ends before the last answer', async () => {
    const out = await init([], ['orders', URL]);
    expect(out.code).to.equal(2);
    expect(out.stderr).to.include('E_INIT_INPUT_ENDED');
    expect(await readdir(dir.path)).to.deep.equal([]);
  });

  it('on a terminal, Ctrl-C while a question waits writes nothing (exit 3, cancelled)', async () => {
    const abort = new AbortController();
    const pending = runCliInProcess(['init'], { cwd: dir.path, typed: [], keepOpen: true, signal: abort.signal });
    setTimeout(() => abort.abort('SIGINT'), 50);
    const out = await pending;
    expect(out.code).to.equal(3);
    expect(out.stderr).to.include('E_INIT_CANCELLED');
    expect(await readdir(dir.path)).to.deep.equal([]);
  });
});

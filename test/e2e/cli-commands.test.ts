import { expect } from 'chai';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, runChaos, tempDir, writeExperiment } from '../support/cli.js';

describe('chaos CLI commands', function () {
  this.timeout(30_000);
  let dir: { path: string; cleanup(): Promise<void> };
  before(async () => (dir = await tempDir()));
  after(() => dir.cleanup());

  it('schema prints exactly the committed schema/experiment.schema.json', async () => {
    const out = await runChaos(['schema'], { cwd: dir.path });
    expect(out.code).to.equal(0);
    expect(out.stdout).to.equal(await readFile(join(ROOT, 'schema/experiment.schema.json'), 'utf8'));
  });

  it('list shows every built-in type with its parameters, also as JSON', async () => {
    const out = await runChaos(['list'], { cwd: dir.path });
    expect(out.code).to.equal(0);
    for (const type of ['process.kill', 'process.pause', 'process.restart', 'process.running', 'http.request', 'tcp', 'command']) {
      expect(out.stdout).to.include(type);
    }
    const json = JSON.parse((await runChaos(['list', '--json'], { cwd: dir.path })).stdout);
    const pause = json.faults.find((f: { type: string }) => f.type === 'process.pause');
    expect(pause.description).to.be.a('string').and.not.empty;
    const kill = json.faults.find((f: { type: string }) => f.type === 'process.kill');
    expect(kill.params.map((p: { name: string }) => p.name)).to.include('signal');
  });

  it('validate accepts the shipped sample experiment', async () => {
    const out = await runChaos(['validate', join(ROOT, 'experiments/process-pause.yaml')], { cwd: ROOT });
    expect(out.code, out.stderr).to.equal(0);
    expect(out.stdout).to.match(/valid/);
  });

  it('validate recognises a game-day plan and checks every experiment it names', async () => {
    const shipped = await runChaos(['validate', join(ROOT, 'scenarios/weekly-gameday.yaml')], { cwd: ROOT });
    expect(shipped.code, shipped.stderr).to.equal(0);
    expect(shipped.stdout).to.match(/valid .*game-day plan weekly-gameday — 4 experiment\(s\)/);
    const invalid = join(ROOT, 'test/fixtures/gameday/invalid-experiment.yaml');
    const plan = await writeExperiment(dir.path, 'plan.yaml', `version: 1\nname: p\ntitle: P\nexperiments:\n  - path: ${invalid}\n`);
    const bad = await runChaos(['validate', plan], { cwd: dir.path });
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/invalid-experiment\.yaml:\d+:\d+: error E_UNKNOWN_KEY: unknown key "duraton"/);
  });

  it('rejects an unknown command and a malformed --var with exit 2', async () => {
    const unknown = await runChaos(['runn'], { cwd: dir.path });
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.match(/runn/);
    const file = await writeExperiment(dir.path, 'v.yaml', 'version: 1\nname: v\nmethod:\n  - pause: 10ms\n');
    const badVar = await runChaos(['validate', file, '--var', 'novalue'], { cwd: dir.path });
    expect(badVar.code).to.equal(2);
    expect(badVar.stderr).to.match(/E_BAD_VAR/);
  });

  it('run of an invalid file exits 2 and creates neither a ledger nor a run folder', async () => {
    const file = await writeExperiment(dir.path, 'bad.yaml', 'version: 1\nname: bad\nmethod:\n  - pause: 10\n');
    const out = await runChaos(['run', file, '--state-dir', join(dir.path, 'state'), '-o', join(dir.path, 'run')], { cwd: dir.path });
    expect(out.code).to.equal(2);
    expect(out.stderr).to.match(/bad\.yaml:4:\d+: error E_DURATION/);
    expect(await stat(join(dir.path, 'state')).catch(() => null)).to.equal(null);
    expect(await stat(join(dir.path, 'run')).catch(() => null)).to.equal(null);
  });

  it('--json prints one JSON document with the verdict', async () => {
    const file = await writeExperiment(dir.path, 'j.yaml', 'version: 1\nname: j\nmethod:\n  - pause: 10ms\n');
    const out = await runChaos(['run', file, '--json', '--state-dir', join(dir.path, 'state'), '-o', join(dir.path, 'jrun')], { cwd: dir.path });
    expect(out.code, out.stderr).to.equal(0);
    const result = JSON.parse(out.stdout);
    expect(result).to.include({ ok: true, exitCode: 0, status: 'passed' });
  });
});

/**
 * Flags, in-process: a usage error stops before the command runs; one name for the choice of reports (`--format`,
 * with `chaos run --report` kept as a deprecated alias); flags that mean something only with another are refused
 * without it, before anything is read, started or written.
 */
import { expect } from 'chai';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCliInProcess } from '../support/cli-in-process.js';
import { ROOT, tempDir } from '../support/cli.js';

const TRIVIAL = 'version: 1\nname: trivial\nmethod:\n  - pause: 10ms\n';

describe('chaos flags', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  beforeEach(async () => {
    dir = await tempDir('chaosdrill-flags-');
    await writeFile(join(dir.path, 'trivial.yaml'), TRIVIAL);
  });
  afterEach(() => dir.cleanup());

  const run = (extra: string[]) =>
    runCliInProcess(['run', 'trivial.yaml', '--state-dir', 'state', '-o', 'run', ...extra], { cwd: dir.path });
  const entries = async () => (await readdir(dir.path)).sort();

  it('an unknown flag is exit 2 and the experiment never starts: no ledger, no run folder', async () => {
    const out = await run(['--fource']);
    expect(out.code).to.equal(2);
    expect(out.stderr).to.include('Unknown argument: fource');
    expect(out.stdout).not.to.match(/PASSED|Method/);
    expect(await entries()).to.deep.equal(['trivial.yaml']);
  });

  it('a misspelt command is exit 2 with the command named and the closest one suggested', async () => {
    const out = await runCliInProcess(['runn', 'trivial.yaml'], { cwd: dir.path });
    expect(out.code).to.equal(2);
    expect(out.stderr).to.match(/Unknown arguments?: runn/).and.include('Did you mean run?');
  });

  it('chaos run --format chooses the reports, as chaos report --format does', async () => {
    const out = await run(['--format', 'md']);
    expect(out.code, out.stderr).to.equal(0);
    expect((await readdir(join(dir.path, 'run'))).filter((f) => f !== 'journal.json').sort()).to.deep.equal(['report.md']);
    expect(out.stderr).not.to.include('deprecated');
  });

  it('chaos run --report still works, with a deprecation warning naming --format', async () => {
    const out = await run(['--report', 'none']);
    expect(out.code, out.stderr).to.equal(0);
    expect(out.stderr).to.include('warning: --report is deprecated; it is --format now, as on chaos report: --format none');
    expect(await readdir(join(dir.path, 'run'))).to.deep.equal(['journal.json']);
  });

  it('--report and --format together are refused (exit 2) before anything runs', async () => {
    const out = await run(['--report', 'md', '--format', 'html']);
    expect(out.code).to.equal(2);
    expect(out.stderr).to.include('E_FLAG_CONFLICT').and.include('--format html,md');
    expect(await entries()).to.deep.equal(['trivial.yaml']);
  });

  describe('chaos schedule', () => {
    const plan = join(ROOT, 'scenarios/weekly-gameday.yaml');
    const schedule = (extra: string[]) => runCliInProcess(['schedule', plan, '--state-dir', join(dir.path, 'state'), ...extra], { cwd: dir.path });

    for (const flags of [['--image', 'runner:2'], ['--namespace', 'chaos'], ['-o', 'k8s'], ['--output', 'k8s', '--image', 'runner:2']]) {
      it(`refuses ${flags.join(' ')} without --emit (exit 2, a hint, nothing written, no scheduler started)`, async () => {
        const out = await schedule(flags);
        expect(out.code).to.equal(2);
        expect(out.stderr).to.match(/E_FLAG_NEEDS_EMIT: .*apply|applies only to the manifests --emit cronjob writes/);
        expect(out.stderr).to.include('hint: add --emit cronjob');
        expect(out.stdout).not.to.include('schedule:');
        expect(await entries()).to.deep.equal(['trivial.yaml']);
      });
    }

    it('refuses --once and --max-runs with --emit, which runs no game day', async () => {
      const once = await schedule(['--emit', 'cronjob', '--once']);
      expect(once.code).to.equal(2);
      expect(once.stderr).to.include('--once limit the game days run here');
      const max = await schedule(['--emit', 'cronjob', '--max-runs', '2', '-o', 'k8s']);
      expect(max.code).to.equal(2);
      expect(await entries()).to.deep.equal(['trivial.yaml']);
    });

    it('takes them with --emit cronjob', async () => {
      const out = await schedule(['--emit', 'cronjob', '--image', 'runner:2', '--namespace', 'chaos', '-o', 'k8s']);
      expect(out.code, out.stderr).to.equal(0);
      expect(await readdir(join(dir.path, 'k8s'))).to.deep.equal(['gameday-cronjob.yaml']);
    });
  });
});

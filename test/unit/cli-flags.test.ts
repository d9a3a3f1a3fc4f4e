/**
 * Flags, in-process: a usage error stops before the command runs.
 */
import { expect } from 'chai';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCliInProcess } from '../support/cli-in-process.js';
import { tempDir } from '../support/cli.js';

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
});

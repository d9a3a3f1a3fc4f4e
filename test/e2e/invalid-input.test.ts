/**
 * Invalid input through the built binary: exit 2, the diagnostic at its file:line:column, and nothing contacted.
 * Every fixture in test/fixtures/invalid/ is checked in-process by test/unit/experiment-invalid-fixtures.test.ts;
 * here one fixture per way the binary can refuse input goes through a real `chaos` process: a YAML syntax error,
 * a schema error, a semantic error, a secret without a value (substitution), a game-day plan naming an invalid
 * experiment, and a missing file. The fixtures name a target `command: [node, server.js]`; the working directory
 * holds a server.js that, if anything ever started it, would report to a counting HTTP server and leave a marker
 * file.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { copyFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startCountingServer, type CountingServer } from '../support/servers.js';
import { ROOT, runChaos, tempDir } from '../support/cli.js';

const FIXTURES = join(ROOT, 'test/fixtures/invalid');
const expectations = JSON.parse(readFileSync(join(FIXTURES, 'expectations.json'), 'utf8')) as Record<
  string,
  { code: string; line: number; column: number }
>;

/** One fixture per stage of loading that can refuse an experiment. */
const THROUGH_THE_BINARY = [
  ['yaml-syntax-error.yaml', 'a YAML syntax error'],
  ['missing-required-parameter.yaml', 'a schema error'],
  ['unknown-target-reference.yaml', 'a semantic error'],
  ['secret-missing.yaml', 'a secret without a value'],
] as const;

const SNITCH = `// Started only if chaosdrill wrongly contacted a target of an invalid experiment.
require('node:fs').writeFileSync(__dirname + '/STARTED', String(process.pid));
fetch(process.env.COUNTING_URL + '/started').finally(() => process.exit(0));
`;

describe('invalid input through the binary: exit 2, located diagnostics, nothing contacted', function () {
  this.timeout(30_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let server: CountingServer;

  before(async () => {
    dir = await tempDir();
    server = await startCountingServer();
    await writeFile(join(dir.path, 'server.js'), SNITCH);
    await writeFile(join(dir.path, 'package.json'), '{"type":"commonjs"}');
  });
  after(async () => {
    await server.close();
    await dir.cleanup();
  });

  async function runInvalid(command: string[]) {
    return runChaos([...command, '--state-dir', 'state', '-o', 'run'], {
      cwd: dir.path,
      env: { COUNTING_URL: server.url },
    });
  }

  async function assertNothingContacted() {
    expect(server.count, 'requests seen by the counting server').to.equal(0);
    expect(await stat(join(dir.path, 'STARTED')).catch(() => null), 'a target process was started').to.equal(null);
    expect(await stat(join(dir.path, 'state')).catch(() => null), 'a ledger was created').to.equal(null);
    expect(await stat(join(dir.path, 'run')).catch(() => null), 'a run folder was created').to.equal(null);
  }

  function expectLocated(stderr: string, file: string) {
    const expected = expectations[file]!;
    expect(stderr).to.include(`${file}:${expected.line}:${expected.column}: error ${expected.code}:`);
    expect(stderr).to.match(/nothing was contacted/);
  }

  for (const [file, what] of THROUGH_THE_BINARY) {
    it(`${what} (${file}): exit 2, ${expectations[file]!.code} at ${expectations[file]!.line}:${expectations[file]!.column}`, async () => {
      await copyFile(join(FIXTURES, file), join(dir.path, file));
      const out = await runInvalid(['run', file]);
      expect(out.code, out.stdout + out.stderr).to.equal(2);
      expectLocated(out.stderr, file);
      await assertNothingContacted();
    });
  }

  it('a game-day plan naming an invalid experiment (`chaos gameday`): exit 2, located in the experiment file', async () => {
    const file = 'unknown-fault-type.yaml';
    await copyFile(join(FIXTURES, file), join(dir.path, file));
    await writeFile(join(dir.path, 'plan.yaml'), `version: 1
name: invalid-member
title: A plan naming an invalid experiment
experiments:
  - { path: ${file} }
`);
    const out = await runInvalid(['gameday', 'plan.yaml']);
    expect(out.code, out.stdout + out.stderr).to.equal(2);
    expectLocated(out.stderr, file);
    await assertNothingContacted();
  });

  it('a missing file: exit 2 with the path', async () => {
    const out = await runInvalid(['run', 'no-such-experiment.yaml']);
    expect(out.code, out.stdout + out.stderr).to.equal(2);
    expect(out.stderr).to.include('error E_FILE_NOT_FOUND: cannot read the experiment file no-such-experiment.yaml');
    await assertNothingContacted();
  });
});

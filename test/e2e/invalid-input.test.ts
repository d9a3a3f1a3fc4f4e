/**
 * Every invalid-input fixture through the built binary with `chaos run`: exit 2, the diagnostic at its
 * file:line:column, and nothing contacted. Most fixtures name a target `command: [node, server.js]`; the
 * working directory holds a server.js that, if anything ever started it, would report to a counting HTTP server
 * and leave a marker file.
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
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
// Needs a second target type that only the unit test's registry has; through the binary it is still invalid
// (exit 2, nothing contacted), but with a different diagnostic.
const REGISTRY_DEPENDENT = new Set(['wrong-target-type.yaml']);

const SNITCH = `// Started only if chaosdrill wrongly contacted a target of an invalid experiment.
require('node:fs').writeFileSync(__dirname + '/STARTED', String(process.pid));
fetch(process.env.COUNTING_URL + '/started').finally(() => process.exit(0));
`;

describe('invalid input through `chaos run`: exit 2, located diagnostics, nothing contacted', function () {
  this.timeout(120_000);
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

  async function runInvalid(file: string) {
    return runChaos(['run', file, '--state-dir', 'state', '-o', 'run'], {
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

  it('the fixture set covers at least 25 cases', () => {
    expect(Object.keys(expectations).length).to.be.at.least(25);
  });

  for (const [name, expected] of Object.entries(expectations)) {
    it(`${name}: exit 2${REGISTRY_DEPENDENT.has(name) ? '' : `, ${expected.code} at ${expected.line}:${expected.column}`}`, async () => {
      await copyFile(join(FIXTURES, name), join(dir.path, name));
      const out = await runInvalid(name);
      expect(out.code, out.stdout + out.stderr).to.equal(2);
      if (!REGISTRY_DEPENDENT.has(name)) {
        expect(out.stderr).to.include(`${name}:${expected.line}:${expected.column}: error ${expected.code}:`);
      }
      expect(out.stderr).to.match(/nothing was contacted/);
      await assertNothingContacted();
    });
  }

  it('a 10 MB file: E_FILE_TOO_LARGE at 1:1', async () => {
    const line = 'method:\n' + '  - pause: 1s\n'.repeat(10 * 1024 * 1024 / 13);
    await writeFile(join(dir.path, 'huge.yaml'), `version: 1\nname: huge\n${line}`);
    const out = await runInvalid('huge.yaml');
    expect(out.code).to.equal(2);
    expect(out.stderr).to.include('huge.yaml:1:1: error E_FILE_TOO_LARGE');
    await assertNothingContacted();
  });

  it('binary garbage: E_NOT_TEXT at 1:1', async () => {
    await writeFile(join(dir.path, 'garbage.yaml'), Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]), randomBytes(4096)]));
    const out = await runInvalid('garbage.yaml');
    expect(out.code).to.equal(2);
    expect(out.stderr).to.include('garbage.yaml:1:1: error E_NOT_TEXT');
    await assertNothingContacted();
  });

  it('a missing file: exit 2 with the path', async () => {
    const out = await runInvalid('no-such-experiment.yaml');
    expect(out.code).to.equal(2);
    expect(out.stderr).to.include('no-such-experiment.yaml');
    await assertNothingContacted();
  });
});

import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChaosError } from '../../src/errors.js';
import { commandAction } from '../../src/plugins/command/actions/command.js';
import { commandParamsSchema } from '../../src/plugins/command/params.js';
import { commandProbe } from '../../src/plugins/command/probes/command.js';
import { activityContext } from '../support/contexts.js';

const params = (raw: Record<string, unknown>) => commandParamsSchema.parse(raw);
const node = (script: string) => [process.execPath, '-e', script];

describe('command plugin', () => {
  let workDir: string;

  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'chaosdrill-command-'));
  });

  after(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  describe('command probe', () => {
    it('passes on exit code 0 and reports output', async () => {
      const outcome = await commandProbe.run(undefined, params({ run: node('console.log("ready")') }), activityContext());
      expect(outcome.ok).to.equal(true);
      expect(outcome.output).to.include({ exitCode: 0, signal: null, stdout: 'ready\n', stderr: '' });
    });

    it('fails on a non-zero exit code, quoting the last stderr line', async () => {
      const outcome = await commandProbe.run(
        undefined,
        params({ run: node('console.error("replica lagging"); process.exit(2)') }),
        activityContext(),
      );
      expect(outcome.ok).to.equal(false);
      expect(outcome.message).to.match(/: exit code 2, expected 0 \(stderr: replica lagging\)$/);
    });

    it('checks exit code and stdout tolerances (stdout without its final newline)', async () => {
      const run = node('console.log("lag 120"); process.exit(1)');
      const ok = await commandProbe.run(
        undefined,
        params({ run, expect: { exitCode: { oneOf: [0, 1] }, stdout: 'lag 120' } }),
        activityContext(),
      );
      expect(ok.ok).to.equal(true);
      const bad = await commandProbe.run(
        undefined,
        params({ run, expect: { exitCode: 1, stdout: { regex: '^lag [0-9]{1,2}$' } } }),
        activityContext(),
      );
      expect(bad.ok).to.equal(false);
      expect(bad.message).to.match(/: stdout "lag 120", expected a match for \/\^lag \[0-9\]\{1,2\}\$\/$/);
    });

    it('kills a command that runs past its timeout and fails with "timed out"', async () => {
      const started = Date.now();
      const outcome = await commandProbe.run(
        undefined,
        params({ run: node('setTimeout(() => {}, 10000)'), timeout: '200ms' }),
        activityContext(),
      );
      expect(outcome.ok).to.equal(false);
      expect(outcome.message).to.match(/: timed out after 200ms$/);
      expect(outcome.output).to.include({ exitCode: null, signal: 'SIGTERM' });
      expect(Date.now() - started).to.be.below(3_000);
    });

    it('stops the command when the activity is aborted', async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const outcome = await commandProbe.run(
        undefined,
        params({ run: node('setTimeout(() => {}, 10000)') }),
        activityContext({ signal: controller.signal }),
      );
      expect(outcome.ok).to.equal(false);
      expect(outcome.message).to.match(/: aborted$/);
    });

    it('runs without a shell: metacharacters are plain arguments', async () => {
      const outcome = await commandProbe.run(
        undefined,
        params({ run: [process.execPath, '-e', 'console.log(process.argv[1])', '$HOME; echo hacked'] }),
        activityContext(),
      );
      expect(outcome.output).to.include({ stdout: '$HOME; echo hacked\n' });
    });

    it('runs a string through a shell with shell: true, in cwd, with env added', async () => {
      const outcome = await commandProbe.run(
        undefined,
        params({ run: 'echo "$GREETING from $(pwd)"', shell: true, cwd: workDir, env: { GREETING: 'hello' } }),
        activityContext(),
      );
      expect(outcome.output).to.include({ stdout: `hello from ${workDir}\n` });
    });

    it('fails clearly when the program does not exist', async () => {
      const outcome = await commandProbe.run(undefined, params({ run: ['./no-such-script.sh'] }), activityContext());
      expect(outcome.ok).to.equal(false);
      expect(outcome.message).to.equal('./no-such-script.sh: cannot start ./no-such-script.sh: ENOENT');
    });

    it('keeps only the first 4 KiB of stdout in its output', async () => {
      const outcome = await commandProbe.run(
        undefined,
        params({ run: node('process.stdout.write("y".repeat(10000))') }),
        activityContext(),
      );
      const stdout = (outcome.output as { stdout: string }).stdout;
      expect(stdout).to.equal(`${'y'.repeat(4096)}…[truncated ${10000 - 4096} bytes]`);
    });
  });

  describe('command action', () => {
    it('returns the output when the command succeeds', async () => {
      const output = await commandAction.run(undefined, params({ run: node('console.log("restored")') }), activityContext());
      expect(output).to.include({ exitCode: 0, stdout: 'restored\n' });
    });

    it('throws a ChaosError when the command fails', async () => {
      try {
        await commandAction.run(undefined, params({ run: node('process.exit(3)') }), activityContext());
        expect.fail('the action should have failed');
      } catch (err) {
        expect(err).to.be.instanceOf(ChaosError);
        expect((err as ChaosError).code).to.equal('E_COMMAND_FAILED');
        expect((err as Error).message).to.match(/exit code 3, expected 0$/);
      }
    });
  });

  describe('params', () => {
    it('rejects a string `run` without shell: true, telling what to do instead', () => {
      const result = commandParamsSchema.safeParse({ run: './restore.sh --all' });
      expect(result.success).to.equal(false);
      expect(result.error?.issues[0]?.path).to.deep.equal(['run']);
      expect(result.error?.issues[0]?.message).to.match(/give an argument array .* or set `shell: true`/);
    });

    it('rejects an argument array with shell: true', () => {
      expect(commandParamsSchema.safeParse({ run: ['echo', 'x'], shell: true }).success).to.equal(false);
    });

    it('defaults the timeout to 30s', () => {
      expect(params({ run: ['true'] }).timeout).to.equal(30_000);
    });
  });
});

/**
 * CI mode (`CI` set, or `--ci`): on a stdout that says it is a terminal, `chaos run` prints no progress lines, no
 * colours and no phase headings: one line per step, fault, revert and verdict. Through the CLI in-process against
 * a real service process.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { isCiMode, type CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { startService, tempDir, writeExperiment, type TestService } from '../support/cli.js';

const ANSI = /\u001b\[/;

describe('CI mode', function () {
  this.timeout(40_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let service: TestService;
  before(async () => {
    dir = await tempDir();
    service = await startService(dir.path);
  });
  after(async () => {
    await service.stop();
    await dir.cleanup();
  });

  it('is on when CI is set to anything but "", "false" or "0", or with --ci', () => {
    for (const value of ['true', '1', 'yes', 'TRUE']) expect(isCiMode({ CI: value }), value).to.equal(true);
    for (const value of [undefined, '', 'false', '0', 'False']) expect(isCiMode({ CI: value }), String(value)).to.equal(false);
    expect(isCiMode({}, true)).to.equal(true);
  });

  async function run(name: string, env: Record<string, string>, extra: string[], withLoad: boolean): Promise<{ code: number; stdout: string }> {
    const file = await writeExperiment(dir.path, `${name}.yaml`, `version: 1
name: ${name}
targets:
  svc: { type: process, pidFile: "${service.pidFile}" }
${withLoad ? `load: { type: autocannon, url: "${service.url}/healthz", rate: 30, connections: 2 }` : ''}
steadyState:
  - name: service answers
    probe: { type: http, url: "${service.url}/healthz", expect: { status: 200 }, timeout: 1s }
method:
  - pause: 200ms
  - name: freeze
    fault: { type: process.pause, target: svc }
    duration: ${withLoad ? '5500ms' : '300ms'}
`);
    let stdout = '';
    const io: CliIo = {
      argv: ['run', file, '--state-dir', join(dir.path, 'state'), '-o', join(dir.path, `run-${name}`), '--format', 'none', ...extra],
      env: { TERM: 'xterm-256color', ...env },
      cwd: dir.path,
      stdout: { isTTY: true, write: (text: string) => (stdout += text) },
      stderr: { write: () => true },
      signal: new AbortController().signal,
      user: 'test',
      host: 'test',
      pid: process.pid,
    };
    return { code: await main(io), stdout };
  }

  it('on a terminal without CI: colours and phase headings (the control for the tests below)', async () => {
    const { code, stdout } = await run('tty', {}, [], false);
    expect(code, stdout).to.equal(0);
    expect(stdout).to.match(ANSI);
    expect(stdout).to.include('Steady state before');
  });

  it('with CI=true: no progress lines, no colours, no headings; one line per step, fault, revert and verdict', async () => {
    const { code, stdout } = await run('ci-env', { CI: 'true' }, [], true);
    expect(code, stdout).to.equal(0);
    expect(stdout).not.to.match(ANSI);
    expect(stdout, 'no progress line although load ran for over 5 s').not.to.include('req/s');
    expect(stdout).not.to.include('Steady state before');
    const lines = stdout.trimEnd().split('\n');
    expect(lines.filter((l) => /✓ freeze injected process\.pause/.test(l))).to.have.length(1);
    expect(lines.filter((l) => /✓ revert freeze reverted/.test(l))).to.have.length(1);
    expect(lines.filter((l) => /^PASSED /.test(l))).to.have.length(1);
    expect(lines.some((l) => l.includes('\r'))).to.equal(false);
  });

  it('with --ci: the same, without the CI variable', async () => {
    const { code, stdout } = await run('ci-flag', {}, ['--ci'], false);
    expect(code, stdout).to.equal(0);
    expect(stdout).not.to.match(ANSI);
    expect(stdout).not.to.include('Steady state before');
    expect(stdout).to.match(/✓ revert freeze reverted/);
  });
});

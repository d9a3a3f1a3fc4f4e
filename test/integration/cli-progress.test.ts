/**
 * The live progress line `chaos run` prints on a terminal while load runs, through the CLI in-process with a
 * stdout that says it is a TTY.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { startService, tempDir, writeExperiment, type TestService } from '../support/cli.js';

describe('live progress on a terminal', function () {
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

  async function run(isTTY: boolean): Promise<{ code: number; stdout: string }> {
    const file = await writeExperiment(
      dir.path,
      `progress-${isTTY}.yaml`,
      `version: 1
name: progress
targets:
  svc: { type: process, pidFile: "${service.pidFile}" }
load: { type: autocannon, url: "${service.url}/healthz", rate: 50, connections: 2 }
method:
  - pause: 1s
  - name: freeze
    fault: { type: process.pause, target: svc }
    duration: 5500ms
`,
    );
    let stdout = '';
    const io: CliIo = {
      argv: ['run', file, '--state-dir', join(dir.path, 'state'), '-o', join(dir.path, `run-${isTTY}`)],
      env: { NO_COLOR: '1' },
      cwd: dir.path,
      stdout: { isTTY, write: (text: string) => (stdout += text) },
      stderr: { write: () => true },
      signal: new AbortController().signal,
      user: 'test',
      host: 'test',
      pid: process.pid,
    };
    const code = await main(io);
    return { code, stdout };
  }

  it('shows req/s, errors, p95, the active fault, elapsed and remaining time every 5 s', async () => {
    const { code, stdout } = await run(true);
    expect(code, stdout).to.equal(0);
    const line = stdout.split('\n').find((l) => l.includes('req/s'));
    expect(line, stdout).to.be.a('string');
    expect(line).to.match(/\d+ req\/s · \d+ err\/s \(\d+ total\) · p95 /);
    expect(line).to.match(/faults: freeze/);
    expect(line).to.match(/elapsed · ~[\d.]+m?s left/);
    expect(service.state()).to.be.oneOf(['S', 'R']);
  });

  it('prints no progress line when stdout is not a terminal', async () => {
    const { code, stdout } = await run(false);
    expect(code, stdout).to.equal(0);
    expect(stdout).to.not.include('req/s');
  });
});

/**
 * `chaos init` as a new user meets it, through the built binary: a scaffold for a service of one's own (a real HTTP
 * server on 127.0.0.1, port from the OS) runs end to end and passes; the questions work on a real terminal (a pty).
 */
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CHAOS_BIN, ROOT, runChaos, startService, stopAllChaos, tempDir, type TestService } from '../support/cli.js';
import { freePortBelowEphemeral } from '../support/servers.js';

interface RunResult {
  exitCode: number;
  objectives: Array<{ name: string; kind: string; passed: boolean; value: number | null }>;
}

async function portAnswers(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
    () => true,
    () => false,
  );
}

describe('chaos init, then chaos run of what it wrote', function () {
  this.timeout(90_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let service: TestService | undefined;
  beforeEach(async () => (dir = await tempDir('chaosdrill-init-e2e-')));
  afterEach(async () => {
    await stopAllChaos();
    await service?.stop();
    service = undefined;
    await dir.cleanup();
  });

  const run = async (file: string): Promise<RunResult> => {
    const out = await runChaos(['run', file, '--json', '--state-dir', 'state', '-o', 'run', '--format', 'md'], { cwd: dir.path, timeoutMs: 80_000 });
    expect(out.code, out.stderr).to.equal(0);
    return JSON.parse(out.stdout) as RunResult;
  };

  it('a running service (--pid-file), frozen for 2 s: passes, RTO measured above the freeze, the service running after', async () => {
    service = await startService(dir.path);
    const scaffold = await runChaos(['init', 'svc.yaml', '--url', `${service.url}/healthz`, '--pid-file', service.pidFile, '--duration', '2s', '--rto', '10s'], { cwd: dir.path });
    expect(scaffold.code, scaffold.stderr).to.equal(0);
    expect(scaffold.stdout).to.include('npx chaos run svc.yaml');
    const before = await service.requests();
    const result = await run('svc.yaml');
    expect(result.exitCode).to.equal(0);
    const rto = result.objectives.find((o) => o.kind === 'rto');
    // Frozen for 2 s from t0: the outage lasts at least that; the budget of 10 s leaves room for a busy machine.
    expect(rto?.passed).to.equal(true);
    expect(rto?.value).to.be.at.least(2_000).and.below(10_000);
    expect(result.objectives.filter((o) => o.kind === 'slo').map((o) => o.passed)).to.deep.equal([true, true, true, true]);
    // 20 req/s for 5 s + 2 s + 8 s of method, and probes: the load really went to the service.
    expect((await service.requests()) - before).to.be.greaterThan(200);
    expect(service.state()).to.match(/^[SR]$/);
    expect(await readFile(join(dir.path, 'run/report.md'), 'utf8')).to.include('svc');
  });

  it('a service the run starts (--command), killed for 2 s and started again: passes, and is stopped after the run', async () => {
    const port = await freePortBelowEphemeral();
    const command = `env PORT=${port} ${process.execPath} ${join(ROOT, 'test/support/fixtures/service.mjs')}`;
    const scaffold = await runChaos(['init', 'started.yaml', '--url', `http://127.0.0.1:${port}/healthz`, '--command', command, '--fault', 'kill', '--duration', '2s', '--rto', '10s'], { cwd: dir.path });
    expect(scaffold.code, scaffold.stderr).to.equal(0);
    const result = await run('started.yaml');
    expect(result.exitCode).to.equal(0);
    const rto = result.objectives.find((o) => o.kind === 'rto');
    expect(rto?.passed).to.equal(true);
    expect(rto?.value).to.be.at.least(2_000).and.below(10_000);
    expect(await portAnswers(port)).to.equal(false);
  });

  it('asks its questions on a real terminal and writes what was answered', function () {
    // script(1) gives the binary a pty, so stdin is a terminal as for a person typing; without it this is untestable.
    if (spawnSync('script', ['--version']).error) {
      console.log('      skipped: script(1) from util-linux is not installed, so there is no pseudo-terminal to answer the questions on');
      this.skip();
    }
    return (async () => {
      const child = spawn('script', ['-qec', `${process.execPath} ${CHAOS_BIN} init`, '/dev/null'], { cwd: dir.path, env: { ...process.env, NO_COLOR: '1' } });
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
      const exited = new Promise<number | null>((done) => child.on('close', done));
      // name, URL, target 2 (a PID file), the file, fault 2 (kill), duration, then the defaults.
      child.stdin.write(['pty-drill', 'http://127.0.0.1:9/healthz', '2', 'app.pid', '2', '3s', '', '', '', ''].join('\n') + '\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(timer);
      expect(code, output).to.equal(0);
      expect(output).to.include('What should the fault act on?').and.include('wrote experiments/pty-drill.yaml');
      const text = await readFile(join(dir.path, 'experiments/pty-drill.yaml'), 'utf8');
      expect(text).to.include('pidFile: "app.pid"').and.include('type: process.kill').and.include('max: 23s');
    })();
  });
});

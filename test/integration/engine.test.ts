/**
 * The run lifecycle in-process, with a plugin whose faults are flag files: ordering, LIFO reverts, background
 * steps, timeouts, failing subscribers and partly injected faults.
 */
import { expect } from 'chai';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runExperiment, type RunOptions } from '../../src/engine/run.js';
import type { RunSubscriber } from '../../src/engine/events.js';
import { loadExperimentText } from '../../src/experiment/load.js';
import { createRegistry } from '../../src/plugins/registry.js';
import { builtinPlugins } from '../../src/plugins/registry.js';
import { filesPlugin } from '../support/files-plugin.js';
import { tempDir } from '../support/cli.js';

const registry = createRegistry([...builtinPlugins(), filesPlugin]);

describe('the run lifecycle (in-process)', function () {
  this.timeout(20_000);
  let dir: { path: string; cleanup(): Promise<void> };
  beforeEach(async () => (dir = await tempDir()));
  afterEach(() => dir.cleanup());

  async function run(method: string, options: Partial<RunOptions> & { rollbacks?: string; steady?: string } = {}) {
    const sys = join(dir.path, 'sys');
    const text = `version: 1
name: engine
targets:
  sys: { type: files, dir: "${sys}" }
${options.steady ?? ''}
method:
${method}
${options.rollbacks ?? ''}
`;
    const loaded = await loadExperimentText(text, 'engine.yaml', { registry });
    const result = await runExperiment(loaded, {
      registry,
      stateDir: join(dir.path, 'state'),
      runDir: join(dir.path, 'run'),
      invocation: { argv: ['test'], cwd: dir.path, user: 'test', host: 'test', pid: process.pid, version: 'test' },
      ...options,
    });
    const logText = await readFile(join(sys, 'log'), 'utf8').catch(() => '');
    const flags = (await readdir(sys).catch(() => [] as string[])).filter((f) => f !== 'log');
    return { result, log: logText.trim().split('\n').filter(Boolean), flags };
  }

  it('reverts faults without a duration newest first, then runs rollbacks', async () => {
    const { result, log, flags } = await run(
      `  - fault: { type: files.flag, target: sys, flag: a }
  - fault: { type: files.flag, target: sys, flag: b }
  - action: { type: files.log, target: sys, line: method-end }`,
      { rollbacks: 'rollbacks:\n  - action: { type: files.log, target: sys, line: rollback }' },
    );
    expect(result.exitCode, result.reason).to.equal(0);
    expect(log).to.deep.equal(['inject a', 'inject b', 'method-end', 'revert b', 'revert a', 'rollback']);
    expect(flags).to.deep.equal([]);
  });

  it('reverts a fault with a duration when it ends, before the next step', async () => {
    const { result, log } = await run(
      `  - fault: { type: files.flag, target: sys, flag: a }
    duration: 100ms
  - action: { type: files.log, target: sys, line: next }`,
    );
    expect(result.exitCode, result.reason).to.equal(0);
    expect(log).to.deep.equal(['inject a', 'revert a', 'next']);
  });

  it('runs a background step alongside the following steps', async () => {
    const { result, log } = await run(
      `  - fault: { type: files.flag, target: sys, flag: bg }
    duration: 400ms
    background: true
  - action: { type: files.log, target: sys, line: during, durationMs: 150ms }
  - pause: 100ms`,
    );
    expect(result.exitCode, result.reason).to.equal(0);
    expect(log).to.deep.equal(['inject bg', 'during', 'revert bg']);
  });

  it('reverts a fault whose inject failed after recording its state', async () => {
    const { result, log, flags } = await run(`  - fault: { type: files.flag, target: sys, flag: half, failAfterChange: true }`);
    expect(result.exitCode).to.equal(1);
    expect(result.reason).to.match(/inject failed after the change/);
    expect(log).to.deep.equal(['inject half', 'revert half']);
    expect(flags).to.deep.equal([]);
  });

  it('fails a step that exceeds its timeout, and still reverts', async () => {
    const started = Date.now();
    const { result, flags } = await run(
      `  - fault: { type: files.flag, target: sys, flag: a }
  - action: { type: files.hang }
    timeout: 200ms`,
    );
    expect(result.exitCode).to.equal(1);
    expect(result.reason).to.match(/timed-out/);
    expect(Date.now() - started).to.be.below(5_000);
    expect(flags).to.deep.equal([]);
  });

  it('keeps reverting when a subscriber throws on every event', async () => {
    const failures: string[] = [];
    const throwing: RunSubscriber = {
      name: 'throwing',
      'fault:injected': () => {
        throw new Error('reporter down');
      },
      'fault:reverted': () => {
        throw new Error('reporter down');
      },
      'activity:end': () => {
        throw new Error('reporter down');
      },
    };
    const { result, flags } = await run(`  - fault: { type: files.flag, target: sys, flag: a }`, {
      subscribers: [throwing],
      onSubscriberError: (name, event) => failures.push(`${name}:${event}`),
    });
    expect(result.exitCode, result.reason).to.equal(0);
    expect(flags).to.deep.equal([]);
    expect(failures).to.include('throwing:fault:reverted');
  });

  it('exits 4 and leaves the ledger entry for recover when a revert fails', async () => {
    const { result, flags } = await run(`  - fault: { type: files.flag, target: sys, flag: stuck, revertFails: true }`);
    expect(result.exitCode).to.equal(4);
    expect(result.reason).to.match(/chaos recover/);
    expect(flags).to.deep.equal(['stuck']);
  });

  it('stops the method and reverts when aborted through its signal', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort('SIGINT'), 300);
    const { result, flags } = await run(
      `  - fault: { type: files.flag, target: sys, flag: a }
  - pause: 30s`,
      { signal: controller.signal },
    );
    expect(result.exitCode).to.equal(3);
    expect(result.reason).to.match(/SIGINT/);
    expect(flags).to.deep.equal([]);
  });

  it('injects nothing when the steady state does not hold before', async () => {
    const { result, log } = await run(`  - fault: { type: files.flag, target: sys, flag: a }`, {
      steady: 'steadyState:\n  - probe: { type: command, run: [node, -e, "process.exit(1)"] }',
    });
    expect(result.exitCode).to.equal(1);
    expect(log).to.deep.equal([]);
  });
});

/**
 * An inject that ignores its timeout or an abort and makes its change late (issue 13, defect 2), and when t0 is
 * taken (defect 10): the change, not the ledger's fsync after it.
 */
import { expect } from 'chai';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunEvents } from '../../src/engine/events.js';
import { Ledger, readLedgerRuns } from '../../src/state/ledger.js';
import { recover } from '../../src/engine/recover.js';
import { runExperiment, type RunOptions } from '../../src/engine/run.js';
import { loadExperimentText } from '../../src/experiment/load.js';
import { builtinPlugins, createRegistry } from '../../src/plugins/registry.js';
import { tempDir, waitFor } from '../support/cli.js';
import { stubbornPlugin } from '../support/stubborn-plugin.js';

const registry = createRegistry([...builtinPlugins(), stubbornPlugin]);
const quiet = { debug() {}, info() {}, warn() {} };
const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('an inject that outlives its timeout or an abort', function () {
  this.timeout(30_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let sys: string;
  let stateDir: string;

  beforeEach(async () => {
    dir = await tempDir();
    sys = join(dir.path, 'sys');
    stateDir = join(dir.path, 'state');
  });
  afterEach(() => dir.cleanup());

  /** One stubborn.flag fault with `fields`, the step's own settings (`timeout: 200ms`), then `after` steps. */
  async function run(fields: string, { step, after, flag = 'a', ...options }: Partial<RunOptions> & { step?: string; after?: string; flag?: string } = {}) {
    const text = `version: 1
name: late
targets:
  sys: { type: stubborn, dir: "${sys}" }
method:
  - fault: { type: stubborn.flag, target: sys, flag: ${flag}${fields ? `, ${fields}` : ''} }
${step ? `    ${step}\n` : ''}${after ?? ''}`;
    const loaded = await loadExperimentText(text, 'late.yaml', { registry });
    return runExperiment(loaded, {
      registry,
      stateDir,
      runDir: join(dir.path, `run-${flag}`),
      invocation: { argv: ['test'], cwd: dir.path, user: 'test', host: 'test', pid: process.pid, version: 'test' },
      ...options,
    });
  }
  const systemLog = async () => (await readFile(join(sys, 'log'), 'utf8').catch(() => '')).trim().split('\n').filter(Boolean);
  const ledgerStatuses = async () => (await readLedgerRuns(stateDir)).flatMap((r) => r.entries.map((e) => e.status));

  it('waits for an inject that lands after its timeout, then reverts it, once', async () => {
    const result = await run('lateMs: 600', { step: 'timeout: 200ms' });
    expect(result.exitCode, result.reason).to.equal(1);
    expect(result.reason).to.contain('timed-out');
    // Checked a while later: a late change that slipped past the revert would show up by then.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(await exists(join(sys, 'a')), 'the flag the late inject created').to.equal(false);
    expect(await systemLog()).to.deep.equal(['inject a', 'revert a']);
    expect(await ledgerStatuses()).to.deep.equal(['reverted']);
  });

  it('reverts an inject that lands after the operator aborted the run', async () => {
    const controller = new AbortController();
    // 150 ms into the inject's 700 ms wait: counted from the fault's start, not the run's, which a busy machine can
    // delay past 150 ms (the abort then comes before the inject, and rightly nothing is injected).
    const abortDuringInject = { name: 'abort', 'activity:start': (e: { kind: string }) => void (e.kind === 'fault' && setTimeout(() => controller.abort('SIGINT'), 150)) };
    const result = await run('lateMs: 700, recordAfterWait: true', { after: '  - pause: 30s\n', signal: controller.signal, subscribers: [abortDuringInject] });
    expect(result.exitCode, result.reason).to.equal(3);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(await exists(join(sys, 'a'))).to.equal(false);
    expect(await systemLog()).to.deep.equal(['inject a', 'revert a']);
    expect(await ledgerStatuses()).to.deep.equal(['reverted']);
  });

  it('exits 4 when an inject is still running at the final revert, and leaves its fault for chaos recover', async () => {
    const result = await run('lateMs: 2500', { step: 'timeout: 200ms' });
    expect(result.exitCode, result.reason).to.equal(4);
    expect(result.reason).to.contain('chaos recover');
    // The inject lands after the run said it was over: the ledger says so, and the target stays blocked.
    await waitFor('the late inject to land', () => exists(join(sys, 'a')), 5_000);
    await waitFor('the ledger to mark it active', async () => (await ledgerStatuses()).join() === 'active', 5_000);
    const blocked = await run('', { flag: 'b' });
    expect(blocked.exitCode, blocked.reason).to.equal(5);
    expect(blocked.reason).to.contain('E_UNRECOVERED_FAULTS');

    const report = await recover({ stateDir, registry, env: {}, logger: quiet });
    expect(report.actions.map((a) => `${a.type}: ${a.outcome}`)).to.deep.equal(['stubborn.flag: reverted']);
    expect(await exists(join(sys, 'a'))).to.equal(false);
  });

  it('takes t0 when the change was made, not after the ledger marked the fault active', async () => {
    const injected: Array<RunEvents['fault:injected']> = [];
    // A slow disk: the `active` line takes 500 ms to be fsynced.
    const markActive = Ledger.prototype.markActive;
    Ledger.prototype.markActive = async function (this: Ledger, ...args: Parameters<Ledger['markActive']>) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      return markActive.apply(this, args);
    };
    try {
      const result = await run('', { subscribers: [{ name: 'spy', 'fault:injected': (e) => void injected.push(e) }] });
      expect(result.exitCode, result.reason).to.equal(0);
    } finally {
      Ledger.prototype.markActive = markActive;
    }
    expect(injected).to.have.length(1);
    const changedAt = Number((injected[0]!.state as { changedAt: number }).changedAt);
    // Generous: the change and the event are the same tick apart plus a journal write, never the 500 ms fsync.
    expect(Date.parse(injected[0]!.at) - changedAt).to.be.below(250);
  });
});

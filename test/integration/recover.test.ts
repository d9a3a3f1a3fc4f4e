import { expect } from 'chai';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { Ledger, readLedgerRuns, unrecoveredEntries, type LedgerRunHeader, type LedgerTarget } from '../../src/state/ledger.js';
import { identifyProcess, type ProcessIdentity } from '../../src/os/process-identity.js';
import { recover } from '../../src/engine/recover.js';
import type { ChaosPlugin, Logger, PluginContext } from '../../src/plugins/api.js';
import { createRegistry } from '../../src/plugins/registry.js';
import { deadProcess } from '../support/processes.js';

/** A real process that has exited: its identity was read while it lived. */
async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

interface MarkerSession {
  dir: string;
}

/** What the test plugin saw; one per test. */
interface Observed {
  log: string[];
  connects: Array<{ config: unknown; purpose: string; workDir: string }>;
  closes: number;
}

/**
 * A plugin whose faults are marker files: inject writes one, revert deletes it. Its config needs a secret token,
 * which must come back from the environment when recover reconnects.
 */
function markerPlugin(observed: Observed): ChaosPlugin<{ dir: string; token: string }, MarkerSession> {
  return {
    name: 'marker',
    description: 'marker files, for tests',
    config: z.object({ dir: z.string(), token: z.string() }),
    async connect(config, ctx: PluginContext) {
      observed.connects.push({ config, purpose: ctx.purpose, workDir: ctx.workDir });
      if (config.token !== 's3cret') throw new Error('bad token');
      return { session: { dir: config.dir }, attributes: {}, close: async () => void observed.closes++ };
    },
    faults: [
      {
        type: 'marker.file',
        description: 'writes a marker file',
        params: z.object({ name: z.string() }),
        async inject(session, params: { name: string }, ctx) {
          const path = join(session.dir, params.name);
          await ctx.record({ path });
          await writeFile(path, 'faulted');
          return { path };
        },
        async revert(session, state: { path: string }, ctx) {
          expect(ctx.targetName).to.equal('app');
          expect(session.dir).to.be.a('string');
          observed.log.push(`revert ${state.path}`);
          await rm(state.path, { force: true });
        },
      },
      {
        type: 'marker.broken',
        description: 'a fault whose revert always fails',
        params: z.object({}),
        async inject() {
          return {};
        },
        async revert() {
          observed.log.push('revert broken');
          throw new Error('the marker service said no');
        },
      },
    ],
    resources: [
      {
        type: 'marker.child',
        async release(state) {
          observed.log.push(`release ${String(state.path)}`);
          await rm(String(state.path), { force: true });
        },
      },
    ],
  };
}

const quiet: Logger = { debug() {}, info() {}, warn() {} };

describe('chaos recover', () => {
  let stateDir: string;
  let work: string;
  let dead: ProcessIdentity;
  let observed: Observed;
  let target: LedgerTarget;

  before(async () => {
    dead = await deadProcess();
  });
  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'chaos-recover-state-'));
    work = await mkdtemp(join(tmpdir(), 'chaos-recover-work-'));
    observed = { log: [], connects: [], closes: 0 };
    target = { name: 'app', type: 'marker', key: `marker:${work}`, configTemplate: { dir: work, token: '${secrets.token}' } };
  });
  afterEach(async () => {
    await rm(stateDir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  function header(runId: string, who: ProcessIdentity): LedgerRunHeader {
    return {
      runId,
      pid: who.pid,
      pidStartTime: who.startTime,
      host: hostname(),
      user: 'tester',
      startedAt: new Date().toISOString(),
      experiment: 'recover-test',
      file: 'experiments/recover-test.yaml',
      secrets: { token: { env: 'MARKER_TOKEN' } },
    };
  }

  /** Records a fault the way the engine does, and makes the change it stands for. */
  async function injected(ledger: Ledger, name: string): Promise<string> {
    const path = join(work, name);
    const id = await ledger.begin('fault', 'marker.file', target, { name }, `marker ${name}`);
    await ledger.recordState(id, { path });
    await writeFile(path, 'faulted');
    await ledger.markActive(id, { path });
    return path;
  }

  it('reverts the faults of a dead run newest first, then releases its resources, and marks them in its ledger', async () => {
    const crashed = await Ledger.open(stateDir, header('crashed', dead));
    const child1 = join(work, 'child-1');
    await writeFile(child1, 'running');
    const r1 = await crashed.begin('resource', 'marker.child', target, {}, 'child 1');
    await crashed.markActive(r1, { path: child1 });
    const first = await injected(crashed, 'first');
    const done = await injected(crashed, 'already-reverted');
    await crashed.markReverted(crashed.entries.at(-1)!.id);
    await rm(done);
    // Died mid-inject: the state was recorded and the change made, but never marked active.
    const midInject = join(work, 'mid-inject');
    const pending = await crashed.begin('fault', 'marker.file', target, { name: 'mid-inject' }, 'marker mid-inject');
    await crashed.recordState(pending, { path: midInject });
    await writeFile(midInject, 'faulted');
    // Died before recording anything: nothing to undo.
    await crashed.begin('fault', 'marker.file', target, { name: 'never' }, 'marker never');
    const child2 = join(work, 'child-2');
    await writeFile(child2, 'running');
    const r2 = await crashed.begin('resource', 'marker.child', target, {}, 'child 2');
    await crashed.markActive(r2, { path: child2 });

    const live = await Ledger.open(stateDir, header('live', identifyProcess(process.pid)));
    const liveMarker = await injected(live, 'live');

    const registry = createRegistry([markerPlugin(observed)]);
    const report = await recover({ stateDir, registry, env: { MARKER_TOKEN: 's3cret' }, logger: quiet });

    expect(report.runsSkipped).to.deep.equal([{ runId: 'live', reason: `its process ${process.pid} still runs on this host` }]);
    expect(report.actions.map((a) => [a.runId, a.description, a.outcome, a.error])).to.deep.equal([
      ['crashed', 'marker mid-inject', 'reverted', null],
      ['crashed', 'marker first', 'reverted', null],
      ['crashed', 'child 2', 'released', null],
      ['crashed', 'child 1', 'released', null],
    ]);
    expect(observed.log).to.deep.equal([`revert ${midInject}`, `revert ${first}`, `release ${child2}`, `release ${child1}`]);
    for (const path of [midInject, first, child1, child2]) expect(await exists(path), path).to.equal(false);
    expect(await exists(liveMarker)).to.equal(true);

    // One connection for the target, with the secret read back from the environment, closed at the end.
    expect(observed.connects).to.deep.equal([{ config: { dir: work, token: 's3cret' }, purpose: 'recover', workDir: stateDir }]);
    expect(observed.closes).to.equal(1);

    const runs = await readLedgerRuns(stateDir);
    const after = runs.find((r) => r.header.runId === 'crashed');
    expect(after?.finished).to.equal(true);
    expect(after?.entries.map((e) => `${e.description}: ${e.status}`)).to.deep.equal([
      'child 1: reverted',
      'marker first: reverted',
      'marker already-reverted: reverted',
      'marker mid-inject: reverted',
      'marker never: not-injected',
      'child 2: reverted',
    ]);
    expect(await readFile(after!.path, 'utf8')).to.contain('"recovered":true').and.not.contain('s3cret');
    expect(await unrecoveredEntries(stateDir)).to.deep.equal([]);

    const again = await recover({ stateDir, registry, env: { MARKER_TOKEN: 's3cret' }, logger: quiet });
    expect(again).to.deep.equal({ actions: [], runsSkipped: [{ runId: 'live', reason: `its process ${process.pid} still runs on this host` }], locksRemoved: [] });
    expect(observed.log).to.have.length(4);
    expect(observed.connects).to.have.length(1);
  });

  it('records a failed revert, goes on with the others, and leaves the run for the next recover', async () => {
    const crashed = await Ledger.open(stateDir, header('crashed', dead));
    const marker = await injected(crashed, 'ok');
    const broken = await crashed.begin('fault', 'marker.broken', target, {}, 'broken');
    await crashed.markActive(broken, {});
    const gone = await crashed.begin('fault', 'uninstalled.fault', { ...target, type: 'uninstalled' }, {}, 'from a removed plugin');
    await crashed.markActive(gone, { x: 1 });

    const registry = createRegistry([markerPlugin(observed)]);
    const report = await recover({ stateDir, registry, env: { MARKER_TOKEN: 's3cret' }, logger: quiet });
    expect(report.actions.map((a) => [a.description, a.outcome])).to.deep.equal([
      ['from a removed plugin', 'failed'],
      ['broken', 'failed'],
      ['marker ok', 'reverted'],
    ]);
    expect(report.actions[0]?.error).to.contain('"uninstalled.fault"');
    expect(report.actions[1]?.error).to.equal('the marker service said no');
    expect(await exists(marker)).to.equal(false);

    const [run] = await readLedgerRuns(stateDir);
    expect(run?.finished).to.equal(false);
    expect(run?.entries.map((e) => e.status)).to.deep.equal(['reverted', 'revert-failed', 'revert-failed']);
    expect(run?.entries[1]?.error).to.equal('the marker service said no');

    const again = await recover({ stateDir, registry, env: { MARKER_TOKEN: 's3cret' }, logger: quiet });
    expect(again.actions.map((a) => [a.description, a.outcome])).to.deep.equal([
      ['from a removed plugin', 'failed'],
      ['broken', 'failed'],
    ]);
  });

  it('fails the entries of a target whose secret is missing, saying which variable to set', async () => {
    const crashed = await Ledger.open(stateDir, header('crashed', dead));
    const marker = await injected(crashed, 'needs-secret');
    const registry = createRegistry([markerPlugin(observed)]);
    const report = await recover({ stateDir, registry, env: {}, logger: quiet });
    expect(report.actions).to.have.length(1);
    expect(report.actions[0]?.outcome).to.equal('failed');
    expect(report.actions[0]?.error).to.contain('MARKER_TOKEN');
    expect(await exists(marker)).to.equal(true);
    expect(observed.connects).to.deep.equal([]);

    const fixed = await recover({ stateDir, registry, env: { MARKER_TOKEN: 's3cret' }, logger: quiet });
    expect(fixed.actions.map((a) => a.outcome)).to.deep.equal(['reverted']);
    expect(await exists(marker)).to.equal(false);
  });

  it('reads a secret from the file the run declared', async () => {
    const secretFile = join(work, 'token.txt');
    await writeFile(secretFile, 's3cret\n');
    const crashed = await Ledger.open(stateDir, { ...header('crashed', dead), secrets: { token: { file: secretFile } } });
    const marker = await injected(crashed, 'file-secret');
    const report = await recover({ stateDir, registry: createRegistry([markerPlugin(observed)]), env: {}, logger: quiet });
    expect(report.actions.map((a) => a.outcome)).to.deep.equal(['reverted']);
    expect(await exists(marker)).to.equal(false);
  });

  it('finishes a dead run that left nothing behind without contacting any target', async () => {
    const crashed = await Ledger.open(stateDir, header('crashed', dead));
    await crashed.begin('fault', 'marker.file', target, { name: 'x' }, 'never injected');
    const report = await recover({ stateDir, registry: createRegistry([markerPlugin(observed)]), env: {}, logger: quiet });
    expect(report).to.deep.equal({ actions: [], runsSkipped: [], locksRemoved: [] });
    const [run] = await readLedgerRuns(stateDir);
    expect(run?.finished).to.equal(true);
    expect(run?.entries[0]?.status).to.equal('not-injected');
    expect(observed.connects).to.deep.equal([]);
  });

  it('stops before the next entry when its signal is aborted', async () => {
    const crashed = await Ledger.open(stateDir, header('crashed', dead));
    const marker = await injected(crashed, 'untouched');
    const controller = new AbortController();
    controller.abort();
    const report = await recover({ stateDir, registry: createRegistry([markerPlugin(observed)]), env: { MARKER_TOKEN: 's3cret' }, logger: quiet, signal: controller.signal });
    expect(report.actions).to.deep.equal([]);
    expect(await exists(marker)).to.equal(true);
    expect((await unrecoveredEntries(stateDir)).length).to.equal(1);
  });
});

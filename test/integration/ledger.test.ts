import { expect } from 'chai';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import {
  appendLedgerLines,
  foldLedgerLines,
  Ledger,
  parseLedger,
  readLedgerRuns,
  unrecoveredEntries,
  type LedgerRunHeader,
  type LedgerTarget,
} from '../../src/state/ledger.js';
import { createRedactor } from '../../src/experiment/redact.js';
import { identifyProcess, type ProcessIdentity } from '../../src/os/process-identity.js';
import { deadProcess } from '../support/processes.js';

/** A real process that has exited: its identity was read while it lived. */
function header(runId: string, who: ProcessIdentity): LedgerRunHeader {
  return {
    runId,
    pid: who.pid,
    pidStartTime: who.startTime,
    host: hostname(),
    user: userInfo().username,
    startedAt: new Date().toISOString(),
    experiment: 'ledger-test',
    file: 'experiments/ledger-test.yaml',
    secrets: { token: { env: 'TOKEN' } },
  };
}

const target: LedgerTarget = { name: 'app', type: 'test', key: 'test:app', configTemplate: { token: '${secrets.token}' } };

describe('fault ledger', () => {
  let stateDir: string;
  let dead: ProcessIdentity;

  before(async () => {
    dead = await deadProcess();
  });
  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'chaos-ledger-'));
  });
  afterEach(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('never writes a secret value: errors, states and descriptions are redacted, structure is kept', async () => {
    const secret = 's3cr3t-canary-value';
    const ledger = await Ledger.open(stateDir, header('run-secret', identifyProcess(process.pid)), { redact: createRedactor([secret, 'active']) });
    const a = await ledger.begin('fault', 'test.marker', target, { url: `http://x/?t=${secret}` }, `marker ${secret}`);
    await ledger.recordState(a, { header: `Bearer ${secret}` });
    await ledger.markActive(a, { header: `Bearer ${secret}` });
    await ledger.markRevertFailed(a, `connect failed: http://u:${secret}@db`);
    const text = await readFile(ledger.path, 'utf8');
    expect(text).to.not.include(secret);
    // A secret that happens to read like a status word does not break the ledger's structure.
    const folded = parseLedger(text);
    expect(folded.entries.map((e) => e.status)).to.deep.equal(['revert-failed']);
    expect(folded.damagedLines).to.deep.equal([]);
  });

  it('writes a header line and one line per event, which fold into each entry\'s latest status', async () => {
    const ledger = await Ledger.open(stateDir, header('run-1', identifyProcess(process.pid)));
    expect(ledger.path).to.equal(join(stateDir, 'ledger', 'run-1.jsonl'));
    const a = await ledger.begin('fault', 'test.marker', target, { name: 'a' }, 'marker a');
    await ledger.recordState(a, { file: '/x' });
    await ledger.markActive(a, { file: '/x', done: true });
    await ledger.markReverted(a);
    const b = await ledger.begin('fault', 'test.marker', target, { name: 'b' }, 'marker b');
    await ledger.markNotInjected(b, 'refused');
    const c = await ledger.begin('resource', 'test.child', target, {}, 'child');
    await ledger.markActive(c, { pid: 1 });
    await ledger.markRevertFailed(c, 'EPERM');
    await ledger.finish();

    const lines = (await readFile(ledger.path, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as { kind: string });
    expect(lines.map((l) => l.kind)).to.deep.equal(['run', 'entry', 'state', 'status', 'status', 'entry', 'status', 'entry', 'status', 'status', 'run-finished']);

    const [run] = await readLedgerRuns(stateDir);
    expect(run?.header.runId).to.equal('run-1');
    expect(run?.finished).to.equal(true);
    expect(run?.alive).to.equal(true);
    expect(run?.entries.map((e) => [e.id, e.kind, e.status, e.state, e.error])).to.deep.equal([
      [a, 'fault', 'reverted', { file: '/x', done: true }, null],
      [b, 'fault', 'not-injected', null, 'refused'],
      [c, 'resource', 'revert-failed', { pid: 1 }, 'EPERM'],
    ]);
    expect(run?.entries[0]?.target).to.deep.equal(target);
    expect(ledger.entries.map((e) => e.status)).to.deep.equal(['reverted', 'not-injected', 'revert-failed']);
  });

  it('never interleaves concurrent appends', async () => {
    const ledger = await Ledger.open(stateDir, header('run-2', identifyProcess(process.pid)));
    const big = { blob: 'x'.repeat(20_000) };
    const ids = await Promise.all(Array.from({ length: 40 }, (_, i) => ledger.begin('fault', 'test.marker', target, { i, ...big }, `f${i}`)));
    expect(new Set(ids).size).to.equal(40);
    const folded = parseLedger(await readFile(ledger.path, 'utf8'));
    expect(folded.damagedLines).to.deep.equal([]);
    expect(folded.entries.map((e) => e.params.i)).to.deep.equal(Array.from({ length: 40 }, (_, i) => i));
  });

  it('refuses to open a second ledger for the same run id', async () => {
    await Ledger.open(stateDir, header('run-3', identifyProcess(process.pid)));
    let error: unknown;
    await Ledger.open(stateDir, header('run-3', identifyProcess(process.pid))).catch((e: unknown) => (error = e));
    expect((error as NodeJS.ErrnoException).code).to.equal('EEXIST');
  });

  it('reads a ledger whose last line was torn by a crash, and appends after it cleanly', async () => {
    const ledger = await Ledger.open(stateDir, header('torn', dead));
    const id = await ledger.begin('fault', 'test.marker', target, {}, 'marker');
    await ledger.markActive(id, { file: '/m' });
    await appendFile(ledger.path, '{"kind":"status","at":"2024-01-01T00:00:00.000Z","id":"f1","sta');

    let [run] = await readLedgerRuns(stateDir);
    expect(run?.entries[0]?.status).to.equal('active');
    expect(run?.damagedLines).to.deep.equal([4]);

    await appendLedgerLines(ledger.path, [{ kind: 'status', at: new Date().toISOString(), id, status: 'reverted' }]);
    [run] = await readLedgerRuns(stateDir);
    expect(run?.entries[0]?.status).to.equal('reverted');
    expect(run?.damagedLines).to.deep.equal([4]);
  });

  it('repairs a torn last line before the live writer appends, so its next line is not glued to the fragment', async () => {
    const ledger = await Ledger.open(stateDir, header('torn-live', identifyProcess(process.pid)));
    const id = await ledger.begin('fault', 'test.marker', target, {}, 'marker');
    // An earlier append that failed half-way (disk full) left a fragment without its newline.
    await appendFile(ledger.path, '{"kind":"state","at":"2024-01-01T00:00:00.000Z","id":"f1","sta');
    await ledger.markActive(id, { file: '/m' });
    const [run] = await readLedgerRuns(stateDir);
    expect(run?.entries[0]?.status).to.equal('active');
    expect(run?.damagedLines).to.deep.equal([3]);
  });

  it('lists as unrecovered only entries of dead or finished runs that may have changed something', async () => {
    const deadRun = await Ledger.open(stateDir, header('dead', dead));
    const noState = await deadRun.begin('fault', 'test.marker', target, {}, 'pending without state');
    const withState = await deadRun.begin('fault', 'test.marker', target, {}, 'pending with state');
    await deadRun.recordState(withState, { file: '/a' });
    const active = await deadRun.begin('fault', 'test.marker', target, {}, 'active');
    await deadRun.markActive(active, { file: '/b' });
    const failed = await deadRun.begin('resource', 'test.child', target, {}, 'revert failed');
    await deadRun.markActive(failed, { pid: 1 });
    await deadRun.markRevertFailed(failed, 'boom');
    const reverted = await deadRun.begin('fault', 'test.marker', target, {}, 'reverted');
    await deadRun.markActive(reverted, { file: '/c' });
    await deadRun.markReverted(reverted);
    const notInjected = await deadRun.begin('fault', 'test.marker', target, {}, 'not injected');
    await deadRun.markNotInjected(notInjected, 'no');

    const liveRun = await Ledger.open(stateDir, header('live', identifyProcess(process.pid)));
    await liveRun.markActive(await liveRun.begin('fault', 'test.marker', target, {}, 'live active'), { file: '/d' });

    // A run that ended (exit code 4) with a failed revert still needs `chaos recover`, whoever its process is.
    const finishedRun = await Ledger.open(stateDir, header('finished', identifyProcess(process.pid)));
    const finishedFailed = await finishedRun.begin('fault', 'test.marker', target, {}, 'finished but failed');
    await finishedRun.markActive(finishedFailed, { file: '/e' });
    await finishedRun.markRevertFailed(finishedFailed, 'EACCES');
    await finishedRun.finish();

    const found = await unrecoveredEntries(stateDir);
    expect(found.map(({ run, entry }) => `${run.header.runId}/${entry.description}`).sort()).to.deep.equal([
      'dead/active',
      'dead/pending with state',
      'dead/revert failed',
      'finished/finished but failed',
    ]);
    expect(noState).to.be.a('string');
    const runs = await readLedgerRuns(stateDir);
    expect(runs.find((r) => r.header.runId === 'dead')?.alive).to.equal(false);
    expect(runs.find((r) => r.header.runId === 'live')?.alive).to.equal(true);
  });

  it('skips a ledger file whose header line never made it to disk', async () => {
    const ledger = await Ledger.open(stateDir, header('ok', dead));
    await ledger.markActive(await ledger.begin('fault', 'test.marker', target, {}, 'm'), { file: '/m' });
    await appendFile(join(stateDir, 'ledger', 'torn-header.jsonl'), '{"kind":"run","runId":"to');
    expect((await readLedgerRuns(stateDir)).map((r) => r.header.runId)).to.deep.equal(['ok']);
  });

  it('returns no runs when the state directory has no ledger yet', async () => {
    expect(await readLedgerRuns(join(stateDir, 'nothing-here'))).to.deep.equal([]);
  });

  it('folds lines purely: later status lines win, unknown lines and lines for unknown entries are ignored', () => {
    const at = '2024-01-01T00:00:00.000Z';
    const folded = foldLedgerLines([
      { kind: 'run', ...header('pure', { pid: 1, startTime: null }) },
      { kind: 'entry', at, id: 'f1', entry: 'fault', type: 't.x', target, params: {}, description: 'x' },
      { kind: 'status', at, id: 'f1', status: 'revert-failed', error: 'first' },
      { kind: 'status', at: '2024-01-01T00:00:01.000Z', id: 'f1', status: 'reverted' },
      { kind: 'status', at, id: 'nope', status: 'active' },
      { kind: 'something-new' },
      'garbage',
    ]);
    expect(folded.header?.runId).to.equal('pure');
    expect(folded.finished).to.equal(false);
    expect(folded.entries).to.have.length(1);
    expect(folded.entries[0]).to.include({ status: 'reverted', error: null, updatedAt: '2024-01-01T00:00:01.000Z' });
  });
});

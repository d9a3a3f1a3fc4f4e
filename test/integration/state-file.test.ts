/**
 * The file state backend as two hosts sharing a directory see it (each backend here plays a host: its identity
 * host differs, so PIDs tell it nothing and only heartbeats count): heartbeats renewed and removed, a dead host's
 * run claimed by one recoverer only, its runner told it lost the run, locks taken over only once a heartbeat expired.
 */
import { expect } from 'chai';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Holder, HolderEvents } from '../../src/state/backend.js';
import { FileStateBackend } from '../../src/state/file-backend.js';
import { heartbeatPath } from '../../src/state/heartbeat.js';
import type { LedgerRunHeader } from '../../src/state/ledger-lines.js';
import { LivenessJudge } from '../../src/state/liveness.js';
import { tempDir } from '../support/cli.js';

const FAST = { renewEveryMs: 100, durationMs: 500 };

function events(): HolderEvents & { lost: string[] } {
  const lost: string[] = [];
  return { lost, onLost: (reason) => lost.push(reason), onError: () => undefined };
}

describe('file state backend on a directory shared by two hosts', function () {
  this.timeout(30_000);
  let dir: { path: string; cleanup(): Promise<void> };
  const holder = (host: string, runId = `run-${host}`): Holder => ({ runId, host, pid: 4242, pidStartTime: '1' });
  const header = (runId: string, host: string): LedgerRunHeader => ({
    runId, pid: 4242, pidStartTime: '1', host, user: 'u', startedAt: new Date().toISOString(), experiment: 'x', file: '/x.yaml', secrets: {}, liveness: FAST,
  });
  /** A heartbeat as a runner on `host` left it when it died `agoMs` ago. */
  const deadHeartbeat = async (state: string, runId: string, host: string, agoMs: number) => {
    await mkdir(join(state, 'liveness'), { recursive: true });
    await writeFile(heartbeatPath(state, runId), JSON.stringify({ runId, host, pid: 4242, pidStartTime: '1', renewedAt: new Date(Date.now() - agoMs).toISOString(), renewals: 7, ...FAST }));
  };

  beforeEach(async () => {
    dir = await tempDir('state-file-');
  });
  afterEach(async () => {
    await dir.cleanup();
  });

  it('renews a heartbeat file while the run lives and removes it when the run ends', async () => {
    const state = new FileStateBackend(dir.path, FAST);
    const handle = await state.startLiveness(holder('host-a', 'r1'), events());
    const read = async () => JSON.parse(await readFile(heartbeatPath(dir.path, 'r1'), 'utf8')) as { renewals: number; host: string };
    const first = await read();
    await sleep(350);
    expect((await read()).renewals).to.be.greaterThan(first.renewals);
    expect(first.host).to.equal('host-a');
    await handle.stop();
    expect(await readdir(join(dir.path, 'liveness'))).to.deep.equal([]);
  });

  it('judges a run of another host alive by its heartbeat, and dead once it expired unrenewed; the PID is never asked', async () => {
    const a = new FileStateBackend(dir.path, FAST);
    const handle = await a.startLiveness(holder('host-a', 'r2'), events());
    await a.createLedger(header('r2', 'host-a'));
    // Host B: the PID 4242 means nothing there, whether or not such a process exists on this machine.
    const b = new FileStateBackend(dir.path, FAST);
    const judge = new LivenessJudge({ host: 'host-b', isPidAlive: () => { throw new Error('a PID of another host was checked'); } });
    const verdict = async () => {
      const run = (await b.readRun('r2'))!;
      return judge.judge('r2', run.liveness, { ...run.ledger.header, keptLiveness: true }).state;
    };
    expect(await verdict()).to.equal('alive');
    await sleep(700);
    expect(await verdict(), 'renewed every 100 ms').to.equal('alive');
    await handle.stop();
    expect(await verdict(), 'heartbeat removed: the run ended').to.equal('dead');
  });

  it('lets one recoverer claim a dead run; the runner that comes back learns it lost the run', async () => {
    const a = new FileStateBackend(dir.path, FAST);
    const runner = events();
    const handle = await a.startLiveness(holder('host-a', 'r3'), runner);
    await a.createLedger(header('r3', 'host-a'));
    const b = new FileStateBackend(dir.path, FAST);
    const run = (await b.readRun('r3'))!;
    const claim = await b.claimRun(run, holder('host-b'), new LivenessJudge({ host: 'host-b' }), events());
    expect(claim).to.not.equal(null);
    const second = await new FileStateBackend(dir.path, FAST).claimRun(run, holder('host-c'), new LivenessJudge({ host: 'host-c' }), events());
    expect(second, 'claimed twice').to.equal(null);
    await sleep(300);
    expect(runner.lost.join()).to.match(/claimed by a `chaos recover` on host-b/);
    await claim!.stop();
    await handle.stop();
  });

  it('takes over the claim of a recoverer that died, but only once its claim expired', async () => {
    const b = new FileStateBackend(dir.path, FAST);
    await b.createLedger(header('r4', 'host-a'));
    await deadHeartbeat(dir.path, 'r4', 'host-a', 5_000);
    await writeFile(heartbeatPath(dir.path, 'r4', 'claim'), JSON.stringify({ runId: 'r4', host: 'host-b', pid: 1, pidStartTime: null, renewedAt: new Date(Date.now() - 5_000).toISOString(), renewals: 3, ...FAST }));
    const run = (await b.readRun('r4'))!;
    const judge = new LivenessJudge({ host: 'host-c' });
    expect(await b.claimRun(run, holder('host-c'), judge, events()), 'a claim not yet confirmed dead').to.equal(null);
    await sleep(250);
    const claim = await b.claimRun(run, holder('host-c'), judge, events());
    expect(claim).to.not.equal(null);
    expect(JSON.parse(await readFile(heartbeatPath(dir.path, 'r4', 'claim'), 'utf8')).host).to.equal('host-c');
    await claim!.stop();
  });

  it('removes the heartbeat of a holder that died before it wrote a ledger, and keeps a dead run\'s while its ledger needs recovery', async () => {
    const state = new FileStateBackend(dir.path, FAST);
    await deadHeartbeat(dir.path, 'orphan', 'host-a', 5_000);
    await deadHeartbeat(dir.path, 'crashed', 'host-a', 5_000);
    await state.createLedger(header('crashed', 'host-a'));
    const judge = new LivenessJudge({ host: 'host-b' });
    expect(await state.removeStaleRecords(judge), 'not confirmed dead yet').to.deep.equal([]);
    await sleep(250);
    expect(await state.removeStaleRecords(judge)).to.deep.equal(['stale heartbeat of holder orphan']);
    expect(await readdir(join(dir.path, 'liveness'))).to.deep.equal(['crashed.heartbeat.json']);
  });

  it('lets exactly one of eight hosts take a target, and takes over a dead host\'s lock only after its heartbeat expired', async () => {
    for (let round = 0; round < 10; round++) {
      const racers = Array.from({ length: 8 }, (_, i) => ({ state: new FileStateBackend(dir.path, FAST), holder: holder(`host-${i}`, `run-${round}-${i}`) }));
      const live = await Promise.all(racers.map((r) => r.state.startLiveness(r.holder, events())));
      const results = await Promise.allSettled(racers.map((r) => r.state.acquireLocks([{ name: 'svc', key: `process:svc-${round}` }], r.holder, new LivenessJudge({ host: r.holder.host }), events())));
      const winners = results.filter((r) => r.status === 'fulfilled');
      expect(winners, `round ${round}`).to.have.length(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).to.have.property('code', 'E_TARGET_LOCKED');
      await (winners[0] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
      for (const l of live) await l.stop();
    }

    const a = new FileStateBackend(dir.path, FAST);
    await a.acquireLocks([{ name: 'svc', key: 'process:svc' }], holder('host-a', 'ra'), new LivenessJudge({ host: 'host-a' }), events());
    await deadHeartbeat(dir.path, 'ra', 'host-a', 100);
    const b = new FileStateBackend(dir.path, FAST);
    const early = await b.acquireLocks([{ name: 'svc', key: 'process:svc' }], holder('host-b', 'rb'), new LivenessJudge({ host: 'host-b' }), events()).then(() => null, (e: unknown) => e);
    expect(early, 'heartbeat still fresh').to.have.property('code', 'E_TARGET_LOCKED');
    await sleep(600);
    const taken = await b.acquireLocks([{ name: 'svc', key: 'process:svc' }], holder('host-b', 'rb'), new LivenessJudge({ host: 'host-b' }), events());
    expect(taken.warnings.join()).to.match(/removed the stale lock of run ra/);
    await taken.release();
  });
});

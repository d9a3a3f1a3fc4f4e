/**
 * The kubernetes state backend against the fake API server (which answers 409 to stale resourceVersions as the real
 * one does): ledgers in ConfigMaps that two writers append to without losing a line, chained past the size limit;
 * liveness Leases renewed, judged and taken over; target locks for which exactly one of many racers wins.
 */
import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LedgerLine, LedgerRunHeader } from '../../src/state/ledger-lines.js';
import type { Holder, HolderEvents } from '../../src/state/backend.js';
import { KubernetesStateBackend } from '../../src/state/kubernetes-backend.js';
import { lockLeaseName, runLeaseName } from '../../src/state/kubernetes-names.js';
import { LivenessJudge } from '../../src/state/liveness.js';
import { ChaosError } from '../../src/errors.js';
import { writeKubeconfig } from '../support/fake-kube/kubeconfig.js';
import { startFakeKube, type FakeKube } from '../support/fake-kube/server.js';
import { tempDir } from '../support/cli.js';

const FAST = { renewEveryMs: 200, durationMs: 1_000 };

function header(runId: string, host = 'pod-a'): LedgerRunHeader {
  return { runId, pid: 4242, pidStartTime: '123', host, user: 'chaos', startedAt: new Date().toISOString(), experiment: 'x', file: '/x.yaml', secrets: {} };
}

function entry(id: string, n: number, extra: Record<string, string> = {}): LedgerLine {
  return { kind: 'entry', at: new Date().toISOString(), id, entry: 'fault', type: 't', target: { name: 't', type: 't', key: 'k', configTemplate: {} }, params: { n, ...extra }, description: `fault ${id}` };
}

function quietEvents(): HolderEvents & { lost: string[] } {
  const lost: string[] = [];
  return { lost, onLost: (reason) => lost.push(reason), onError: () => undefined };
}

describe('kubernetes state backend, against the fake API server', function () {
  this.timeout(60_000);
  let kube: FakeKube;
  let dir: { path: string; cleanup(): Promise<void> };
  let kubeconfig: string;
  const backend = (options: { partLimitBytes?: number } = {}) => KubernetesStateBackend.connect({ namespace: 'chaos', kubeconfig, timing: FAST, ...options });
  const holder = (host: string, runId = `run-${host}`): Holder => ({ runId, host, pid: 4242, pidStartTime: '123' });

  beforeEach(async () => {
    dir = await tempDir();
    kube = await startFakeKube({ namespaces: ['chaos'] });
    kubeconfig = await writeKubeconfig(dir.path, kube.url, { namespace: 'chaos' });
  });
  afterEach(async () => {
    await kube.close();
    await dir.cleanup();
  });

  describe('the ledger in ConfigMaps', () => {
    it('holds each appended line in the API server by the time the append resolves, in order', async () => {
      const state = backend();
      const ledger = await state.createLedger(header('20261203T131000Z-a-0001'));
      for (let n = 1; n <= 5; n++) {
        await ledger.append([entry(`f${n}`, n)]);
        const stored = kube.store.list('configmaps', 'chaos').find((c) => c.metadata.name.startsWith('chaos-ledger-'));
        expect(Object.keys(stored!.data)).to.have.length(n + 1);
      }
      const run = await state.readRun('20261203T131000Z-a-0001');
      expect(run!.ledger.header.host).to.equal('pod-a');
      expect(run!.location).to.match(/^configmap chaos\/chaos-ledger-20261203t131000z-a-0001-[0-9a-f]{8}$/);
    });

    it('chains continuation ConfigMaps past the size limit and reads the lines back in order', async () => {
      const state = backend({ partLimitBytes: 600 });
      const runId = '20261203T131000Z-chain-0002';
      const ledger = await state.createLedger(header(runId));
      for (let n = 1; n <= 30; n++) await ledger.append([entry(`f${n}`, n)]);
      const parts = kube.store.list('configmaps', 'chaos').filter((c) => c.metadata.annotations?.['chaosdrill.dev/run-id'] === runId);
      expect(parts.length).to.be.greaterThan(5);
      for (const part of parts) {
        const bytes = Object.entries(part.data as Record<string, string>).reduce((s, [k, v]) => s + k.length + Buffer.byteLength(v), 0);
        expect(bytes).to.be.at.most(600);
      }
      const run = await state.readRun(runId);
      expect(run!.ledger.entries.map((e) => e.id)).to.deep.equal(Array.from({ length: 30 }, (_, i) => `f${i + 1}`));
      expect(run!.ledger.damagedLines).to.deep.equal([]);
    });

    it('at the default part size, stays under the API server\'s 1 MiB ConfigMap limit (the fake enforces it) over 2.5 MB of ledger', async () => {
      const state = backend();
      const runId = '20261203T131000Z-real-size-0005';
      const ledger = await state.createLedger(header(runId));
      const blob = 'x'.repeat(200_000);
      for (let n = 1; n <= 13; n++) await ledger.append([entry(`f${n}`, n, { blob })]);
      const parts = kube.store.list('configmaps', 'chaos').filter((c) => c.metadata.annotations?.['chaosdrill.dev/run-id'] === runId);
      // Four 200 kB lines fill a part (a fifth would pass 1,000,000 bytes): 4 + 4 + 4 + 1.
      expect(parts).to.have.length(4);
      for (const part of parts) {
        const bytes = Object.entries(part.data as Record<string, string>).reduce((sum, [k, v]) => sum + k.length + Buffer.byteLength(v), 0);
        expect(bytes).to.be.at.most(1_048_576);
      }
      const run = await state.readRun(runId);
      expect(run!.ledger.entries.map((e) => e.id)).to.deep.equal(Array.from({ length: 13 }, (_, i) => `f${i + 1}`));
    });

    it('loses no line when two writers append to one run at once (409 Conflict, read again, retry), across part boundaries', async () => {
      const state = backend({ partLimitBytes: 2_000 });
      const runId = '20261203T131000Z-race-0003';
      const first = await state.createLedger(header(runId));
      const second = (await state.openLedger(runId))!;
      const writer = async (sink: typeof first, prefix: string) => {
        for (let n = 1; n <= 40; n++) await sink.append([entry(`${prefix}${n}`, n)]);
      };
      await Promise.all([writer(first, 'a'), writer(second, 'b')]);
      const conflicts = kube.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/configmaps/')).length - 80;
      expect(conflicts, 'the writers never collided: the test proves nothing').to.be.greaterThan(0);
      const ids = (await state.readRun(runId))!.ledger.entries.map((e) => e.id);
      expect(ids).to.have.length(80);
      expect(ids.filter((id) => id.startsWith('a'))).to.deep.equal(Array.from({ length: 40 }, (_, i) => `a${i + 1}`));
      expect(ids.filter((id) => id.startsWith('b'))).to.deep.equal(Array.from({ length: 40 }, (_, i) => `b${i + 1}`));
    });

    it('refuses a line larger than a ConfigMap can hold, with a clear error', async () => {
      const ledger = await backend({ partLimitBytes: 500 }).createLedger(header('20261203T131000Z-big-0004'));
      const error = await ledger.append([{ kind: 'state', at: 'x', id: 'f1', state: { blob: 'x'.repeat(600) } }]).then(() => null, (e: unknown) => e);
      expect(error).to.be.instanceOf(ChaosError).with.property('code', 'E_LEDGER_LINE_TOO_LARGE');
    });

    it('marks a run closed so readers looking for work skip it, and still reads it when asked for all runs', async () => {
      const state = backend();
      const ledger = await state.createLedger(header('20261203T131000Z-closed-0005'));
      await ledger.append([{ kind: 'run-finished', at: 'x' }], { closes: true });
      expect(await state.listRuns()).to.deep.equal([]);
      const all = await state.listRuns({ all: true });
      expect(all.map((r) => [r.ledger.header.runId, r.ledger.finished])).to.deep.equal([['20261203T131000Z-closed-0005', true]]);
    });

    it('reopens a ledger a recover closed when its runner, unaware, appends to it afterwards', async () => {
      const state = backend();
      const runner = await state.createLedger(header('20261203T131000Z-zombie-0006'));
      await runner.append([entry('f1', 1)]);
      const recoverer = (await state.openLedger('20261203T131000Z-zombie-0006'))!;
      await recoverer.append([{ kind: 'status', at: 'x', id: 'f1', status: 'reverted', by: 'recover' }, { kind: 'run-finished', at: 'x', recovered: true }], { closes: true });
      expect(await state.listRuns()).to.deep.equal([]);
      await runner.append([entry('f2', 2)]);
      const [run] = await state.listRuns();
      expect(run?.ledger.entries.map((e) => [e.id, e.status])).to.deep.equal([['f1', 'reverted'], ['f2', 'pending']]);
    });
  });

  describe('liveness Leases', () => {
    it('renews the run lease in the MicroTime form the API server accepts, and deletes it on stop', async () => {
      const state = backend();
      const events = quietEvents();
      const handle = await state.startLiveness(holder('pod-a', 'r1'), events);
      const read = () => kube.store.get('leases', 'chaos', runLeaseName('r1'));
      const first = read()!.spec.renewTime as string;
      expect(first).to.match(/\.\d{6}Z$/);
      await sleep(700);
      expect(read()!.spec.renewTime).to.not.equal(first);
      expect(read()!.spec).to.include({ holderIdentity: 'pod-a/4242', leaseDurationSeconds: 1 });
      await handle.stop();
      expect(read()).to.equal(undefined);
      expect(events.lost).to.deep.equal([]);
    });

    it('is alive while renewed; once renewals stop, suspect, then dead after the confirmation window', async () => {
      const state = backend();
      await state.createLedger(header('r2'));
      const handle = await state.startLiveness(holder('pod-a', 'r2'), quietEvents());
      const watching = new LivenessJudge({ host: 'pod-b' });
      const verdict = async (judge: LivenessJudge) => {
        const run = (await state.readRun('r2'))!;
        return judge.judge('r2', run.liveness, run.ledger.header).state;
      };
      expect(await verdict(watching)).to.equal('alive');
      await sleep(1_200);
      expect(await verdict(watching), 'renewed every 200 ms').to.equal('alive');
      // The runner is cut off: its renewals no longer reach the API server (stop() would delete the lease).
      kube.setDeny([{ verb: 'update', resource: 'leases' }]);
      await sleep(1_100);
      // A judge that watched the lease stay unrenewed past its expiry knows at once; a newcomer confirms first.
      expect(await verdict(watching)).to.equal('dead');
      const newcomer = new LivenessJudge({ host: 'pod-b' });
      expect(await verdict(newcomer)).to.equal('suspect');
      await sleep(450);
      expect(await verdict(newcomer)).to.equal('dead');
      kube.setDeny([]);
      await handle.stop().catch(() => undefined);
    });

    it('tells a runner whose run was claimed by a recover that it lost its lease', async () => {
      const state = backend();
      await state.createLedger(header('r3'));
      const runner = quietEvents();
      const handle = await state.startLiveness(holder('pod-a', 'r3'), runner);
      const run = (await state.readRun('r3'))!;
      const claim = await state.claimRun(run, holder('pod-b', 'recover-b'), new LivenessJudge({ host: 'pod-b' }), quietEvents());
      expect(claim).to.not.equal(null);
      await sleep(600);
      expect(runner.lost.join()).to.match(/taken over by recover@pod-b\/4242/);
      const second = await state.claimRun(run, holder('pod-c', 'recover-c'), new LivenessJudge({ host: 'pod-c' }), quietEvents());
      expect(second, 'a second recover while the first works').to.equal(null);
      await claim!.stop();
      await handle.stop();
    });
  });

  it('removes the lease of a holder that died before it wrote a ledger, and keeps a dead run\'s while its ledger needs recovery', async () => {
    const state = backend();
    kube.setDeny([{ verb: 'update', resource: 'leases' }]); // both holders die at once: no renewal reaches the server
    const orphan = await state.startLiveness(holder('pod-a', 'orphan'), quietEvents());
    const crashed = await state.startLiveness(holder('pod-a', 'crashed'), quietEvents());
    await state.createLedger(header('crashed'));
    await sleep(1_100);
    const judge = new LivenessJudge({ host: 'pod-b' });
    expect(await state.removeStaleRecords(judge), 'not confirmed dead yet').to.deep.equal([]);
    await sleep(450);
    expect(await state.removeStaleRecords(judge)).to.deep.equal([`stale liveness lease ${runLeaseName('orphan')} of orphan`]);
    expect(kube.store.list('leases', 'chaos').map((l) => l.metadata.name)).to.deep.equal([runLeaseName('crashed')]);
    kube.setDeny([]);
    await orphan.stop().catch(() => undefined);
    await crashed.stop().catch(() => undefined);
  });

  describe('target locks', () => {
    it('lets exactly one of eight racers take a target, twenty times over', async () => {
      const racers = Array.from({ length: 8 }, () => backend());
      for (let round = 0; round < 20; round++) {
        const results = await Promise.allSettled(racers.map((state, i) =>
          state.acquireLocks([{ name: 'shop', key: `kubernetes:shop-${round}` }], holder(`pod-${i}`, `run-${round}-${i}`), new LivenessJudge({ host: `pod-${i}` }), quietEvents())));
        const winners = results.filter((r) => r.status === 'fulfilled');
        expect(winners, `round ${round}`).to.have.length(1);
        for (const r of results) if (r.status === 'rejected') expect(r.reason).to.have.property('code', 'E_TARGET_LOCKED');
        await (winners[0] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
        expect(kube.store.get('leases', 'chaos', lockLeaseName(`kubernetes:shop-${round}`))).to.equal(undefined);
      }
    });

    it('refuses a lock whose holder renews it, and takes it over once its lease expired unrenewed', async () => {
      const a = backend();
      const held = await a.acquireLocks([{ name: 'shop', key: 'kubernetes:shop' }], holder('pod-a'), new LivenessJudge({ host: 'pod-a' }), quietEvents());
      const b = backend();
      const judge = new LivenessJudge({ host: 'pod-b' });
      const refused = await b.acquireLocks([{ name: 'shop', key: 'kubernetes:shop' }], holder('pod-b'), judge, quietEvents()).then(() => null, (e: unknown) => e);
      expect(refused).to.have.property('code', 'E_TARGET_LOCKED');
      expect((refused as Error).message).to.match(/locked by run run-pod-a \(pod-a\/4242/);
      // pod-a dies: its renewals stop reaching the API server.
      kube.setDeny([{ verb: 'update', resource: 'leases' }]);
      await sleep(1_300);
      kube.setDeny([]);
      const started = Date.now();
      const taken = await b.acquireLocks([{ name: 'shop', key: 'kubernetes:shop' }], holder('pod-b'), new LivenessJudge({ host: 'pod-b' }), quietEvents());
      expect(Date.now() - started, 'waited out the confirmation window').to.be.at.least(300);
      expect(taken.warnings.join()).to.match(/took over the lock of run run-pod-a/);
      const lease = kube.store.get('leases', 'chaos', lockLeaseName('kubernetes:shop'))!;
      expect(lease.spec).to.include({ holderIdentity: 'pod-b/4242', leaseTransitions: 1 });
      await taken.release();
      await held.release().catch(() => undefined);
    });
  });
});

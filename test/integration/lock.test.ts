import { expect } from 'chai';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChaosError, ExitCode } from '../../src/errors.js';
import { keyHash, lockPath, removeStaleLocks, TargetLocks, type LockOwner } from '../../src/state/lock.js';
import { identifyProcess, type ProcessIdentity } from '../../src/os/process-identity.js';
import { deadProcess } from '../support/processes.js';

/** A real process that has exited: its identity was read while it lived. */
const me = identifyProcess(process.pid);
const owner = (runId: string, who: ProcessIdentity = me): LockOwner => ({ runId, pid: who.pid, pidStartTime: who.startTime });
const app = { name: 'app', key: 'process:app' };
const db = { name: 'db', key: 'postgres:127.0.0.1:5432' };

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('target locks', () => {
  let stateDir: string;
  let dead: ProcessIdentity;

  /** The one lock file held for `key`. */
  async function lockFileOf(key: string): Promise<string> {
    const files = (await readdir(join(stateDir, 'locks'))).filter((f) => f.startsWith(`${keyHash(key)}.`) && f.endsWith('.lock'));
    expect(files, `lock files of ${key}`).to.have.length(1);
    return join(stateDir, 'locks', files[0]!);
  }

  before(async () => {
    dead = await deadProcess();
  });
  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'chaos-lock-'));
  });
  afterEach(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('writes one lock file per target key, named by the key\'s hash and a nonce, holding the owner', async () => {
    const locks = await TargetLocks.acquire(stateDir, [app, db, { name: 'app-again', key: app.key }], owner('run-a'));
    const files = (await readdir(join(stateDir, 'locks'))).sort();
    expect(files).to.have.length(2);
    expect(files.every((f) => /^[0-9a-f]{32}\.[0-9a-f]{16}\.lock$/.test(f))).to.equal(true);
    const record = JSON.parse(await readFile(await lockFileOf(app.key), 'utf8')) as Record<string, unknown>;
    expect(record).to.include({ runId: 'run-a', pid: process.pid, target: 'app', key: app.key });
    expect(record.acquiredAt).to.be.a('string');
    expect(locks.warnings).to.deep.equal([]);
    await locks.release();
    expect(await readdir(join(stateDir, 'locks'))).to.deep.equal([]);
  });

  it('refuses a target locked by a live run, naming the target and the holder', async () => {
    const first = await TargetLocks.acquire(stateDir, [app], owner('run-a'));
    const error = await caught(TargetLocks.acquire(stateDir, [app], owner('run-b')));
    expect(error).to.be.instanceOf(ChaosError);
    const chaos = error as ChaosError;
    expect(chaos.code).to.equal('E_TARGET_LOCKED');
    expect(chaos.exitCode).to.equal(ExitCode.Infrastructure);
    expect(chaos.message).to.contain('"app"').and.contain('run-a').and.contain(`pid ${process.pid}`);
    expect(chaos.hint).to.be.a('string');
    await first.release();
  });

  it('takes all locks or none: what it took is released when one target is held', async () => {
    const holder = await TargetLocks.acquire(stateDir, [db], owner('run-a'));
    await caught(TargetLocks.acquire(stateDir, [app, db], owner('run-b')));
    expect(await readdir(join(stateDir, 'locks'))).to.deep.equal([(await lockFileOf(db.key)).split('/').pop()]);
    await holder.release();
    const again = await TargetLocks.acquire(stateDir, [app, db], owner('run-b'));
    expect(await readdir(join(stateDir, 'locks'))).to.have.length(2);
    await again.release();
  });

  it('takes over the stale lock of a run whose process is gone, with a warning', async () => {
    await TargetLocks.acquire(stateDir, [app], owner('crashed-run', dead)); // never released: its runner "died"
    const locks = await TargetLocks.acquire(stateDir, [app], owner('run-b'));
    expect(locks.warnings).to.have.length(1);
    expect(locks.warnings[0]).to.contain('crashed-run').and.contain(String(dead.pid));
    const record = JSON.parse(await readFile(await lockFileOf(app.key), 'utf8')) as Record<string, unknown>;
    expect(record.runId).to.equal('run-b');
    expect((await readdir(join(stateDir, 'locks'))).length).to.equal(1);
    await locks.release();
  });

  it('lets exactly one of several concurrent runs take a stale lock', async () => {
    await TargetLocks.acquire(stateDir, [app], owner('crashed-run', dead));
    // Same pid, different run ids: all "alive" once they hold the lock, so the losers must see E_TARGET_LOCKED.
    const results = await Promise.allSettled(['r1', 'r2', 'r3', 'r4'].map((id) => TargetLocks.acquire(stateDir, [app], owner(id))));
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).to.have.length(1);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as ChaosError).code).to.equal('E_TARGET_LOCKED');
    const record = JSON.parse(await readFile(await lockFileOf(app.key), 'utf8')) as { runId: string };
    await (won[0] as PromiseFulfilledResult<TargetLocks>).value.release();
    expect(['r1', 'r2', 'r3', 'r4']).to.include(record.runId);
  });

  it('never lets two runs hold a target at once when several take over a stale lock at the same time', async () => {
    // The race of issue 13: a run that moved a live lock aside while taking over must never put it back over a
    // lock a third run created in the gap. Many rounds, each with a stale lock and runs arriving a few ms apart.
    for (let round = 0; round < 40; round++) {
      await TargetLocks.acquire(stateDir, [app], owner(`crashed-${round}`, dead));
      const contenders = Array.from({ length: 6 }, (_, i) =>
        new Promise<void>((resolve) => setTimeout(resolve, (i * 7 + round) % 4)).then(() => TargetLocks.acquire(stateDir, [app], owner(`r${round}-${i}`))),
      );
      const results = await Promise.allSettled(contenders);
      const holders = results.filter((r): r is PromiseFulfilledResult<TargetLocks> => r.status === 'fulfilled').map((r) => r.value);
      for (const r of results) if (r.status === 'rejected') expect((r.reason as ChaosError).code).to.equal('E_TARGET_LOCKED');
      expect(holders.length, `round ${round}: runs holding the lock at once`).to.be.at.most(1);
      for (const holder of holders) await holder.release();
      await rm(join(stateDir, 'locks'), { recursive: true, force: true });
    }
  });

  it('honours a lock file of the name earlier versions wrote (no nonce)', async () => {
    const path = lockPath(stateDir, app.key);
    await mkdir(join(stateDir, 'locks'), { recursive: true });
    await writeFile(path, JSON.stringify({ runId: 'old-version', pid: process.pid, pidStartTime: me.startTime, host: hostname(), target: 'app', key: app.key, acquiredAt: new Date().toISOString() }));
    const error = await caught(TargetLocks.acquire(stateDir, [app], owner('run-b')));
    expect((error as ChaosError).message).to.contain('old-version');
    expect(await readdir(join(stateDir, 'locks'))).to.deep.equal([path.split('/').pop()]);
  });

  it('removes only the stale locks and unfinished writes of dead processes when asked to clean up', async () => {
    await TargetLocks.acquire(stateDir, [app], owner('crashed-run', dead));
    const live = await TargetLocks.acquire(stateDir, [db], owner('live-run'));
    await writeFile(join(stateDir, 'locks', `${keyHash('x')}.00.claim.${dead.pid}-abc123.tmp`), '{"ru');
    const removed = await removeStaleLocks(stateDir);
    expect(removed.join('\n')).to.contain('crashed-run').and.contain('unfinished lock write');
    expect(await readdir(join(stateDir, 'locks'))).to.deep.equal([(await lockFileOf(db.key)).split('/').pop()]);
    await live.release();
  });
});

/**
 * Target locks (DESIGN §4): two runs never inject into the same real thing at once.
 *
 * Each holder has its own file, `<stateDir>/locks/<sha256(key), 32 hex>.<nonce>.lock`; no file is ever shared,
 * renamed over or rewritten, so no run can remove or replace another's lock. Taking a lock:
 *   1. our claim `<hash>.<nonce>.claim` appears complete (written to a temp file, then renamed to its unique name);
 *   2. we list the key's files: a live run's `.lock` → E_TARGET_LOCKED; another live run's `.claim`, or a file gone
 *      before we could read it (perhaps a claim that just became a lock) → we withdraw ours and try again after a
 *      random pause; a dead run's file is stale and is removed (that only ever removes that dead run's lock);
 *   3. nothing live but ours → our claim becomes our `.lock`.
 * Each run lists only after its own claim is visible, so of two runs the one that lists later always sees the
 * other: two runs can both back off, but never both hold.
 *
 * Whether a holder is alive is the caller's to say (the file backend asks the holder's heartbeat, so a lock taken
 * on another host sharing the directory is judged too); without one, only a holder on this host can be judged dead.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChaosError, ExitCode } from '../errors.js';
import { isCode, writeFileAtomic } from '../os/fsync.js';
import { isProcessAlive } from '../os/process-identity.js';
import { listStateDir, stateDirError } from './state-dir.js';

export interface LockOwner {
  runId: string;
  pid: number;
  pidStartTime: string | null;
  /** The identity host (CHAOS_HOSTNAME or the hostname); default: the hostname. */
  host?: string;
  /** The owner keeps a liveness record (a heartbeat) while it holds its locks. */
  keptLiveness?: boolean;
}

/** Who holds a lock file, as far as judging its liveness goes. */
export interface LockHolderRecord {
  runId: string;
  host: string;
  pid: number;
  pidStartTime: string | null;
  keptLiveness?: boolean;
}

/** Whether a lock's holder still runs. */
export type HolderLiveness = (holder: LockHolderRecord) => Promise<boolean>;

/** The content of a lock or claim file. */
interface LockRecord extends LockHolderRecord {
  target: string;
  key: string;
  acquiredAt: string;
}

interface LockFile {
  name: string;
  path: string;
  kind: 'lock' | 'claim';
}

/** Bounded: each retry follows two runs claiming at the same moment, which random pauses make rare. */
const MAX_ATTEMPTS = 12;
const RETRY_PAUSE_MS = { min: 5, max: 60 };

export class TargetLocks {
  /** Things the operator should know, e.g. that a stale lock of a dead run was removed. */
  readonly warnings: string[] = [];
  readonly #held: string[] = [];

  readonly #dir: string;
  readonly #owner: LockOwner;
  readonly #isHolderAlive: HolderLiveness;

  private constructor(
    dir: string,
    owner: LockOwner,
    isHolderAlive: HolderLiveness,
  ) {
    this.#dir = dir;
    this.#owner = owner;
    this.#isHolderAlive = isHolderAlive;
  }

  /**
   * Locks every target, or none: when one is held by a live run, the locks taken so far are released and a
   * ChaosError `E_TARGET_LOCKED` is thrown. Targets sharing a key are locked once.
   */
  static async acquire(stateDir: string, targets: Array<{ name: string; key: string }>, owner: LockOwner, isHolderAlive: HolderLiveness = sameHostLiveness): Promise<TargetLocks> {
    const dir = join(stateDir, 'locks');
    await mkdir(dir, { recursive: true }).catch((error: unknown) => {
      throw stateDirError(error, stateDir);
    });
    const locks = new TargetLocks(dir, owner, isHolderAlive);
    const seen = new Set<string>();
    try {
      for (const target of targets) {
        if (seen.has(target.key)) continue;
        seen.add(target.key);
        locks.#held.push(await locks.#take(target));
      }
    } catch (error) {
      await locks.release();
      throw error instanceof ChaosError ? error : stateDirError(error, stateDir);
    }
    return locks;
  }

  /** Removes our lock files. Idempotent. */
  async release(): Promise<void> {
    for (const path of this.#held.splice(0).reverse()) await unlinkIfPresent(path);
  }

  async #take(target: { name: string; key: string }): Promise<string> {
    const hash = keyHash(target.key);
    const nonce = randomBytes(8).toString('hex');
    const claim = join(this.#dir, `${hash}.${nonce}.claim`);
    const lock = join(this.#dir, `${hash}.${nonce}.lock`);
    const record: LockRecord = { ...this.#owner, host: this.#owner.host ?? hostname(), target: target.name, key: target.key, acquiredAt: new Date().toISOString() };
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (attempt > 0) await sleep(RETRY_PAUSE_MS.min + Math.random() * (RETRY_PAUSE_MS.max - RETRY_PAUSE_MS.min));
      await writeFileAtomic(claim, `${JSON.stringify(record, null, 2)}\n`);
      let contended = false;
      for (const file of await filesOfKey(this.#dir, hash)) {
        if (file.path === claim) continue;
        const holder = await readLock(file.path);
        if (holder === 'missing') {
          // Gone since the listing: released, removed as stale, or a claim that just became a lock under another
          // name. Only a fresh listing tells which.
          contended = true;
          continue;
        }
        if (holder !== 'unreadable' && (await this.#isHolderAlive(holder))) {
          if (file.kind === 'lock') {
            await unlinkIfPresent(claim);
            throw lockedError(target.name, holder, file.path);
          }
          contended = true;
          continue;
        }
        await unlinkIfPresent(file.path);
        this.warnings.push(
          holder === 'unreadable'
            ? `target "${target.name}": removed an unreadable lock file ${file.path}`
            : `target "${target.name}": removed the stale lock of run ${holder.runId} (pid ${holder.pid}, no longer running); ` +
                'run `chaos recover` if that run left faults behind',
        );
      }
      if (!contended) {
        await rename(claim, lock);
        return lock;
      }
      await unlinkIfPresent(claim);
    }
    throw new ChaosError(`could not lock target "${target.name}": other runs kept claiming it at the same moment`, {
      code: 'E_TARGET_LOCKED',
      exitCode: ExitCode.Infrastructure,
      hint: 'Another chaos run is starting against the same target; try again when it has finished.',
    });
  }
}

/**
 * Removes the lock and claim files of runs whose process is gone (they would be taken over anyway), and temp files
 * their writers left. Returns what was removed, for the operator. Used by `chaos recover`.
 */
export async function removeStaleLocks(stateDir: string, isHolderAlive: HolderLiveness = sameHostLiveness): Promise<string[]> {
  const dir = join(stateDir, 'locks');
  const names = await listStateDir(stateDir, 'locks');
  const removed: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const file = parseLockName(name);
    if (file === null) {
      // `<name>.<pid>-<random>.tmp`: a write that never finished; its writer's pid tells whether it still might.
      const writer = /\.(\d+)-[0-9a-f]+\.tmp$/.exec(name);
      if (writer && !isProcessAlive({ pid: Number(writer[1]), startTime: null })) {
        await unlinkIfPresent(path);
        removed.push(`unfinished lock write ${name}`);
      }
      continue;
    }
    const holder = await readLock(path);
    if (holder === 'missing' || (holder !== 'unreadable' && (await isHolderAlive(holder)))) continue;
    await unlinkIfPresent(path);
    removed.push(holder === 'unreadable' ? `unreadable lock file ${name}` : `stale lock of run ${holder.runId} on target "${holder.target}"`);
  }
  return removed;
}

/** The first 32 hex digits of sha256(key): lock file names never show the key itself. */
export function keyHash(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

/** The lock file of `key` without a nonce: the name earlier versions used, still honoured as a lock. */
export function lockPath(stateDir: string, key: string): string {
  return join(stateDir, 'locks', `${keyHash(key)}.lock`);
}

function parseLockName(name: string): { hash: string; kind: 'lock' | 'claim' } | null {
  const match = /^([0-9a-f]{32})(?:\.[0-9a-f]+)?\.(lock|claim)$/.exec(name);
  return match ? { hash: match[1], kind: match[2] as 'lock' | 'claim' } : null;
}

async function filesOfKey(dir: string, hash: string): Promise<LockFile[]> {
  const files: LockFile[] = [];
  for (const name of await readdir(dir)) {
    const parsed = parseLockName(name);
    if (parsed?.hash === hash) files.push({ name, path: join(dir, name), kind: parsed.kind });
  }
  return files;
}

async function readLock(path: string): Promise<LockRecord | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return 'missing';
    throw error;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return 'unreadable';
    const r = value as Partial<LockRecord>;
    if (typeof r.runId !== 'string' || typeof r.pid !== 'number') return 'unreadable';
    return {
      runId: r.runId,
      pid: r.pid,
      pidStartTime: typeof r.pidStartTime === 'string' ? r.pidStartTime : null,
      host: typeof r.host === 'string' ? r.host : hostname(),
      target: typeof r.target === 'string' ? r.target : '?',
      key: typeof r.key === 'string' ? r.key : '?',
      acquiredAt: typeof r.acquiredAt === 'string' ? r.acquiredAt : '?',
      keptLiveness: r.keptLiveness === true,
    };
  } catch {
    return 'unreadable';
  }
}

async function unlinkIfPresent(path: string): Promise<void> {
  await unlink(path).catch((error: unknown) => {
    if (!isCode(error, 'ENOENT')) throw error;
  });
}

/** Without a liveness record to ask, a holder on another host cannot be checked from here: it counts as alive. */
async function sameHostLiveness(holder: LockHolderRecord): Promise<boolean> {
  if (holder.host !== hostname()) return true;
  return isProcessAlive({ pid: holder.pid, startTime: holder.pidStartTime });
}

function lockedError(target: string, holder: LockRecord, path: string): ChaosError {
  const where = holder.host === hostname() ? `pid ${holder.pid}` : `pid ${holder.pid} on ${holder.host}`;
  return new ChaosError(`target "${target}" is locked by run ${holder.runId} (${where}, since ${holder.acquiredAt})`, {
    code: 'E_TARGET_LOCKED',
    exitCode: ExitCode.Infrastructure,
    hint: `Wait for that run to finish. If that process is not a chaos run any more, delete ${path}.`,
  });
}

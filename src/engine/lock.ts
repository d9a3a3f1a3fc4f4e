/**
 * Target locks (DESIGN §4): two runs never inject into the same real thing at once. One file per target key,
 * `<stateDir>/locks/<sha256(key), 32 hex>.lock`, created atomically with its content. A lock whose owner process
 * is gone is stale and taken over, with a warning.
 */
import { randomUUID, createHash } from 'node:crypto';
import { mkdir, readFile, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ChaosError, ExitCode } from '../errors.js';
import { createExclusiveWithContent, isCode } from './fsync.js';
import { isProcessAlive } from './process-identity.js';

export interface LockOwner {
  runId: string;
  pid: number;
  pidStartTime: string | null;
}

/** The content of a lock file. */
interface LockRecord extends LockOwner {
  host: string;
  target: string;
  key: string;
  acquiredAt: string;
}

interface HeldLock {
  path: string;
  target: string;
}

/** Bounded: each retry follows a stale lock being removed, which cannot happen forever between live runs. */
const MAX_ATTEMPTS = 5;

export class TargetLocks {
  /** Things the operator should know, e.g. that a stale lock of a dead run was taken over. */
  readonly warnings: string[];
  private readonly held: HeldLock[];
  private readonly owner: LockOwner;

  private constructor(owner: LockOwner, held: HeldLock[], warnings: string[]) {
    this.owner = owner;
    this.held = held;
    this.warnings = warnings;
  }

  /**
   * Locks every target, or none: when one is held by a live run, the locks taken so far are released and a
   * ChaosError `E_TARGET_LOCKED` is thrown. Targets sharing a key are locked once.
   */
  static async acquire(stateDir: string, targets: Array<{ name: string; key: string }>, owner: LockOwner): Promise<TargetLocks> {
    const dir = join(stateDir, 'locks');
    await mkdir(dir, { recursive: true });
    const locks = new TargetLocks(owner, [], []);
    const seen = new Set<string>();
    try {
      for (const target of targets) {
        if (seen.has(target.key)) continue;
        seen.add(target.key);
        const path = lockPath(stateDir, target.key);
        await locks.take(path, target);
        locks.held.push({ path, target: target.name });
      }
    } catch (error) {
      await locks.release();
      throw error;
    }
    return locks;
  }

  /** Removes the locks that are still ours; a lock someone else took over in the meantime is left alone. */
  async release(): Promise<void> {
    const held = this.held.splice(0);
    for (const lock of held.reverse()) {
      const record = await readLock(lock.path);
      if (record === 'missing' || record === 'unreadable' || !this.isOurs(record)) continue;
      await unlink(lock.path).catch((error: unknown) => {
        if (!isCode(error, 'ENOENT')) throw error;
      });
    }
  }

  private isOurs(record: LockRecord): boolean {
    return record.runId === this.owner.runId && record.pid === this.owner.pid && record.host === hostname();
  }

  private async take(path: string, target: { name: string; key: string }): Promise<void> {
    const record: LockRecord = { ...this.owner, host: hostname(), target: target.name, key: target.key, acquiredAt: new Date().toISOString() };
    const content = `${JSON.stringify(record, null, 2)}\n`;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (await createExclusiveWithContent(path, content, randomUUID())) return;
      const holder = await readLock(path);
      if (holder === 'missing') continue; // released between our attempt and the read
      if (holder !== 'unreadable' && isHolderAlive(holder)) throw lockedError(target.name, holder, path);
      // Stale. Move it aside under a unique name (atomic: of two runs taking over, one wins the rename), then check
      // that what we moved is really the stale lock and not one a competitor installed after our read.
      const aside = `${path}.${randomUUID()}.stale`;
      try {
        await rename(path, aside);
      } catch (error) {
        if (isCode(error, 'ENOENT')) continue;
        throw error;
      }
      const moved = await readLock(aside);
      if (moved !== 'missing' && moved !== 'unreadable' && isHolderAlive(moved)) {
        await rename(aside, path).catch(() => undefined);
        throw lockedError(target.name, moved, path);
      }
      await unlink(aside).catch(() => undefined);
      this.warnings.push(
        holder === 'unreadable'
          ? `target "${target.name}": removed an unreadable lock file ${path}`
          : `target "${target.name}": took over the stale lock of run ${holder.runId} (pid ${holder.pid}, no longer running); ` +
              'run `chaos recover` if that run left faults behind',
      );
    }
    throw new ChaosError(`could not lock target "${target.name}": its lock file ${path} kept changing`, {
      code: 'E_TARGET_LOCKED',
      exitCode: ExitCode.Infrastructure,
      hint: 'Another chaos run is starting against the same target; try again when it has finished.',
    });
  }
}

/** The lock file of a target key. */
export function lockPath(stateDir: string, key: string): string {
  return join(stateDir, 'locks', `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.lock`);
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
    };
  } catch {
    return 'unreadable';
  }
}

/** A holder on another host cannot be checked from here, so it counts as alive. */
function isHolderAlive(holder: LockRecord): boolean {
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

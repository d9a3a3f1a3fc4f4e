/**
 * Target locks as Leases (`chaos-lock-<hash of the target key>`). Taking one: read it; absent → create it (of two
 * creators the API server lets one succeed, the other gets AlreadyExists and reads again); free, or held by a
 * holder that is dead (liveness.ts) → take it over with a compare-and-swap on the version read (of two, one gets
 * 409 and reads again); held by a live holder → E_TARGET_LOCKED. While the run lasts its locks are renewed with
 * its liveness; when it ends they are deleted (only the version still ours).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ChaosError, ExitCode } from '../errors.js';
import type { HeldLocks, Holder, HolderEvents, LivenessTiming, LockTarget } from './backend.js';
import { HeldLeases } from './kubernetes-held-leases.js';
import type { LeaseHolder, Leases, LeaseState } from './kubernetes-lease.js';
import { lockLeaseName } from './kubernetes-names.js';
import type { LivenessJudge } from './liveness.js';

/** Bounded: each retry follows another writer's change to the same lease. */
const MAX_ATTEMPTS = 20;

export class KubernetesLocks implements HeldLocks {
  readonly warnings: string[] = [];

  readonly #held: HeldLeases;

  private constructor(held: HeldLeases) {
    this.#held = held;
  }

  static async acquire(leases: Leases, timing: LivenessTiming, targets: readonly LockTarget[], holder: Holder, judge: LivenessJudge, events: HolderEvents): Promise<KubernetesLocks> {
    const locks = new KubernetesLocks(new HeldLeases(leases, timing, events));
    const seen = new Set<string>();
    try {
      for (const target of targets) {
        if (seen.has(target.key)) continue;
        seen.add(target.key);
        const lockHolder: LeaseHolder = { ...holder, role: 'run', target: target.name };
        locks.#held.add(await take(leases, target, lockHolder, judge, locks.warnings), lockHolder);
      }
    } catch (error) {
      await locks.release().catch(() => undefined);
      throw error;
    }
    return locks;
  }

  release(): Promise<void> {
    return this.#held.release();
  }
}

async function take(leases: Leases, target: LockTarget, holder: LeaseHolder, judge: LivenessJudge, warnings: string[]): Promise<LeaseState> {
  const name = lockLeaseName(target.key);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await leases.read(name);
    if (current === null) {
      const created = await leases.create(name, 'lock', holder);
      if (created !== null) return created;
      continue;
    }
    if (current.holderIdentity !== null) {
      const verdict = judge.judge(`lock:${name}`, current.record, current.holder);
      if (verdict.state === 'suspect') {
        await sleep(verdict.recheckAfterMs + 10);
        continue;
      }
      if (verdict.state !== 'dead') throw lockedError(target.name, current, current.record === null ? 'its lease records no renewal' : verdict.reason);
    }
    const taken = await leases.takeOver(current, holder);
    if (taken === null) continue;
    if (current.holder !== null) {
      warnings.push(
        `target "${target.name}": took over the lock of run ${current.holder.runId} (${current.holderIdentity}), whose runner is gone; ` +
          'run `chaos recover` if that run left faults behind',
      );
    }
    return taken;
  }
  throw new ChaosError(`could not lock target "${target.name}": other runs kept changing its lock at the same moment`, {
    code: 'E_TARGET_LOCKED',
    exitCode: ExitCode.Infrastructure,
    hint: 'another chaos run is starting against the same target; try again when it has finished',
  });
}

function lockedError(target: string, lease: LeaseState, why: string): ChaosError {
  const holder = lease.holder;
  const since = lease.acquiredAt === null ? '' : `, since ${new Date(lease.acquiredAt).toISOString()}`;
  return new ChaosError(`target "${target}" is locked by run ${holder?.runId ?? '?'} (${lease.holderIdentity}${since}): ${why}`, {
    code: 'E_TARGET_LOCKED',
    exitCode: ExitCode.Infrastructure,
    hint: `wait for that run to finish; the lock is lease ${lease.name} (kubectl get lease ${lease.name} -o yaml)`,
  });
}

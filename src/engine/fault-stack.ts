/**
 * The faults a run injected, reverted newest first (LIFO), and the injects still running after their step ended
 * (deaf to their timeout or to an abort), which may change the system at any moment until they settle.
 */
import type { JsonObject } from '../json.js';
import type { FaultStep } from '../experiment/types.js';
import type { FaultType } from '../plugins/api.js';
import { runActivity, sleep } from './activity.js';
import type { ActivityRecord } from './events.js';
import { recordActivity, type RunContext } from './run-context.js';
import { activityContext, announceStart } from './steps.js';

/** Attempts per revert; reverts are idempotent, so a retry after a transient failure is safe. */
const REVERT_ATTEMPTS = 3;
const REVERT_RETRY_DELAY_MS = 500;

export interface ActiveFault {
  ledgerId: string;
  step: FaultStep;
  def: FaultType<unknown, unknown, JsonObject>;
  state: JsonObject;
}

/** An inject whose body had not settled when its step ended. */
export interface LateInject {
  step: FaultStep;
  def: FaultType<unknown, unknown, JsonObject>;
  /** Read when it is abandoned: the ledger entry and the last state the plugin recorded, if it got that far. */
  ledgerId(): string | null;
  recorded(): JsonObject | null;
}

interface TrackedLateInject extends LateInject {
  /** Set when the run's final revert gave up waiting for it: whatever it does later is only written to the ledger. */
  abandoned: boolean;
}

export class FaultStack {
  readonly #active: ActiveFault[] = [];
  /** Every ledger id ever pushed: one fault is reverted once, however its inject ended. */
  readonly #pushed = new Set<string>();
  readonly #late = new Set<TrackedLateInject>();
  #revertFailures = 0;

  /** Faults to revert, counting the injects still running. */
  get size(): number {
    return this.#active.length + this.#late.size;
  }

  /** Reverts that failed even after retries, and injects still running at the final revert (exit code 4). */
  get revertFailures(): number {
    return this.#revertFailures;
  }

  /** Adds a fault to revert; false (and nothing added) when its ledger id was pushed before. */
  push(fault: ActiveFault): boolean {
    if (this.#pushed.has(fault.ledgerId)) return false;
    this.#pushed.add(fault.ledgerId);
    this.#active.push(fault);
    return true;
  }

  /**
   * Follows an inject that is still running after its step ended. When `body` settles, `conclude` decides what it
   * did (and pushes it, unless `abandoned`: the final revert is over by then, so the ledger alone must tell).
   */
  trackLate(late: LateInject, body: Promise<unknown>, conclude: (abandoned: boolean) => Promise<void>): void {
    const tracked: TrackedLateInject = { ...late, abandoned: false };
    this.#late.add(tracked);
    void body
      .then(
        () => undefined,
        () => undefined,
      )
      .then(async () => {
        this.#late.delete(tracked);
        await conclude(tracked.abandoned);
      })
      .catch(() => undefined);
  }

  /** Reverts one fault (if still active) and removes it. */
  async revert(ctx: RunContext, fault: ActiveFault, section: string): Promise<ActivityRecord | null> {
    const index = this.#active.indexOf(fault);
    if (index === -1) return null;
    this.#active.splice(index, 1);
    return this.#revertOne(ctx, fault, section, null);
  }

  /** Reverts every active fault, newest first, after giving up on injects still running. Never throws. */
  async revertAll(ctx: RunContext, section: string): Promise<ActivityRecord[]> {
    const records = await this.#abandonLate(ctx, section);
    while (this.#active.length > 0) {
      const fault = this.#active.pop()!;
      records.push(await this.#revertOne(ctx, fault, section, null));
    }
    return records;
  }

  /**
   * An inject still running now may change the system after every revert: the run cannot say it left nothing
   * behind. Each counts as a failed revert (exit 4); what it recorded is reverted now in case the change is already
   * there, and its ledger entry stays unrecovered, so later runs against the target wait for `chaos recover`.
   */
  async #abandonLate(ctx: RunContext, section: string): Promise<ActivityRecord[]> {
    const records: ActivityRecord[] = [];
    for (const late of [...this.#late]) {
      this.#late.delete(late);
      late.abandoned = true;
      this.#revertFailures++;
      const why = `its inject was still running at the final revert and may still change ${late.step.target}`;
      ctx.logger.warn(`"${late.step.name}": ${why}; run \`chaos recover\` once this process has exited`);
      const ledgerId = late.ledgerId();
      const state = late.recorded();
      if (ledgerId === null || state === null) continue; // nothing recorded yet: the ledger will say if it ever does
      records.push(await this.#revertOne(ctx, { ledgerId, step: late.step, def: late.def, state }, section, why));
    }
    return records;
  }

  /** `unsettled`: the reason the fault may come back after this revert; its entry is then left for recover. */
  async #revertOne(ctx: RunContext, fault: ActiveFault, section: string, unsettled: string | null): Promise<ActivityRecord> {
    const { step, def, state } = fault;
    // Reverts use their own signal: an operator abort or maxDuration must never cut a revert short.
    const never = new AbortController().signal;
    const record = await runActivity(
      { kind: 'revert', name: step.name, section, type: step.type, target: step.target, timeoutMs: step.timeoutMs * REVERT_ATTEMPTS, signal: never },
      async (signal) => {
        const session = ctx.targets.get(step.target)?.connection.session;
        let lastError: unknown;
        for (let attempt = 1; attempt <= REVERT_ATTEMPTS; attempt++) {
          try {
            await def.revert(session, state, activityContext(ctx, signal, step.target));
            return { ok: true, message: attempt === 1 ? 'reverted' : `reverted on attempt ${attempt}`, output: null };
          } catch (error) {
            lastError = error;
            ctx.logger.warn(`revert of "${step.name}" failed (attempt ${attempt}/${REVERT_ATTEMPTS}): ${String(error)}`);
            if (attempt < REVERT_ATTEMPTS) await sleep(REVERT_RETRY_DELAY_MS, signal);
          }
        }
        throw lastError;
      },
      announceStart(ctx, 'revert', step.name, section),
    );
    const ok = record.status === 'succeeded' && unsettled === null;
    const error = unsettled === null ? record.error : record.error === null ? unsettled : `${record.error}; ${unsettled}`;
    try {
      if (ok) await ctx.ledger.markReverted(fault.ledgerId);
      else await ctx.ledger.markRevertFailed(fault.ledgerId, error ?? record.message);
    } catch (ledgerError) {
      ctx.logger.warn(`could not update the ledger for "${step.name}": ${String(ledgerError)}`);
    }
    // An abandoned inject was counted when it was abandoned.
    if (!ok && unsettled === null) this.#revertFailures++;
    await recordActivity(ctx, record);
    await ctx.bus.emit('fault:reverted', { id: fault.ledgerId, name: step.name, type: step.type, target: step.target, ok, error, at: record.endedAt });
    return record;
  }
}

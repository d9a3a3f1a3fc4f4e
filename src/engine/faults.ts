/**
 * Injecting faults through the ledger, and the stack of active faults that is reverted newest first.
 *
 * Order of writes for one fault: ledger `pending` (fsynced) → the plugin records its revert state (fsynced) →
 * the change → ledger `active`. Whatever point a crash hits, `chaos recover` finds what it needs.
 */
import type { JsonObject } from '../json.js';
import type { FaultStep } from '../experiment/types.js';
import type { FaultType } from '../plugins/api.js';
import { runActivity, sleep, AbortedError } from './activity.js';
import type { ActivityRecord } from './events.js';
import type { LedgerTarget } from './ledger.js';
import { now, recordActivity, type RunContext } from './run-context.js';
import { activityContext, announceStart, resolveParams } from './steps.js';

/** Attempts per revert; reverts are idempotent, so a retry after a transient failure is safe. */
const REVERT_ATTEMPTS = 3;
const REVERT_RETRY_DELAY_MS = 500;

export interface ActiveFault {
  ledgerId: string;
  step: FaultStep;
  def: FaultType<unknown, unknown, JsonObject>;
  state: JsonObject;
}

export function ledgerTarget(ctx: RunContext, name: string): LedgerTarget {
  const connected = ctx.targets.get(name);
  const target = ctx.experiment.targets[name];
  if (!connected || !target) throw new Error(`target "${name}" is not connected`);
  return { name, type: target.type, key: connected.key, configTemplate: target.configTemplate };
}

/** Active faults, newest last. Reverting pops from the end (LIFO). */
export class FaultStack {
  readonly #active: ActiveFault[] = [];
  #revertFailures = 0;

  get size(): number {
    return this.#active.length;
  }

  /** Reverts that failed even after retries; the run exits with ExitCode.RevertFailed when this is not 0. */
  get revertFailures(): number {
    return this.#revertFailures;
  }

  push(fault: ActiveFault): void {
    this.#active.push(fault);
  }

  /** Reverts one fault (if still active) and removes it. */
  async revert(ctx: RunContext, fault: ActiveFault, section: string): Promise<ActivityRecord | null> {
    const index = this.#active.indexOf(fault);
    if (index === -1) return null;
    this.#active.splice(index, 1);
    return this.#revertOne(ctx, fault, section);
  }

  /** Reverts every active fault, newest first. Never throws. */
  async revertAll(ctx: RunContext, section: string): Promise<ActivityRecord[]> {
    const records: ActivityRecord[] = [];
    while (this.#active.length > 0) {
      const fault = this.#active.pop()!;
      records.push(await this.#revertOne(ctx, fault, section));
    }
    return records;
  }

  async #revertOne(ctx: RunContext, fault: ActiveFault, section: string): Promise<ActivityRecord> {
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
    const ok = record.status === 'succeeded';
    try {
      if (ok) await ctx.ledger.markReverted(fault.ledgerId);
      else await ctx.ledger.markRevertFailed(fault.ledgerId, record.message);
    } catch (error) {
      ctx.logger.warn(`could not update the ledger for "${step.name}": ${String(error)}`);
    }
    if (!ok) this.#revertFailures++;
    await recordActivity(ctx, record);
    await ctx.bus.emit('fault:reverted', { id: fault.ledgerId, name: step.name, type: step.type, target: step.target, ok, error: record.error, at: record.endedAt });
    return record;
  }
}

/**
 * Injects a fault step; with a `duration`, holds it for that long and reverts it. Returns the inject activity.
 * The fault stays on the stack (and is reverted later) when the run is aborted during its duration.
 */
export async function runFaultStep(ctx: RunContext, stack: FaultStack, step: FaultStep, signal: AbortSignal): Promise<ActivityRecord> {
  const registered = ctx.registry.faults.get(step.type);
  // Filled in by the activity body; an object because the body is a closure.
  const progress: { ledgerId: string | null; recorded: JsonObject | null; injected: ActiveFault | null } = {
    ledgerId: null,
    recorded: null,
    injected: null,
  };

  const record = await runActivity(
    { kind: 'fault', name: step.name, section: 'method', type: step.type, target: step.target, timeoutMs: step.timeoutMs, signal },
    async (activitySignal) => {
      if (!registered) throw new Error(`no plugin provides fault type "${step.type}"`);
      const def = registered.def as FaultType<unknown, unknown, JsonObject>;
      const params = resolveParams(ctx.targets, step, def.params);
      const id = await ctx.ledger.begin('fault', step.type, ledgerTarget(ctx, step.target), ctx.redact(step.rawParams), step.name);
      progress.ledgerId = id;
      const session = ctx.targets.get(step.target)?.connection.session;
      const state = await def.inject(session, params, {
        ...activityContext(ctx, activitySignal, step.target),
        record: async (s) => {
          progress.recorded = s;
          await ctx.ledger.recordState(id, s);
        },
      });
      await ctx.ledger.markActive(id, state);
      progress.injected = { ledgerId: id, step, def, state };
      stack.push(progress.injected);
      return { ok: true, message: `injected ${step.type} on ${step.target}`, output: state };
    },
    announceStart(ctx, 'fault', step.name, 'method'),
  );

  const { ledgerId, recorded } = progress;
  if (!progress.injected && ledgerId !== null) {
    if (recorded !== null && registered) {
      // The fault may be partly in place (timeout, or an error after the change): revert it with what was recorded.
      stack.push({ ledgerId, step, def: registered.def as FaultType<unknown, unknown, JsonObject>, state: recorded });
    } else {
      await ctx.ledger.markNotInjected(ledgerId, record.message).catch(() => undefined);
    }
  }
  await recordActivity(ctx, record);
  const active = progress.injected;
  if (active) {
    await ctx.bus.emit('fault:injected', {
      id: active.ledgerId,
      name: step.name,
      type: step.type,
      target: step.target,
      state: active.state,
      startedAt: record.startedAt,
      at: record.endedAt,
    });
    if (step.durationMs !== null) {
      try {
        await sleep(step.durationMs, signal);
        await stack.revert(ctx, active, 'method');
      } catch (error) {
        if (!(error instanceof AbortedError)) throw error;
        // Aborted while holding the fault: it stays on the stack and is reverted with the others.
      }
    }
  }
  return record;
}

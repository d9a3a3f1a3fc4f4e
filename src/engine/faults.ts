/**
 * Injecting a fault step through the ledger.
 *
 * Order of writes for one fault: ledger `pending` (fsynced) → the plugin records its revert state (fsynced) →
 * the change → ledger `active`. Whatever point a crash hits, `chaos recover` finds what it needs: an entry with a
 * state is treated as possibly injected.
 *
 * An inject that ignores its timeout or an abort (a Toxiproxy or Kubernetes call in flight) may make its change
 * late. The step waits a bounded time for it to settle before deciding; one that is still running then is followed
 * until it settles (and reverted with the others), or given up on at the final revert (see FaultStack).
 */
import type { JsonObject } from '../json.js';
import type { FaultType } from '../plugins/api.js';
import type { FaultStep } from '../experiment/types.js';
import { runActivity, sleep, AbortedError, type ActivityResult } from './activity.js';
import type { ActivityRecord } from './events.js';
import { type FaultStack, type ActiveFault } from './fault-stack.js';
import type { LedgerTarget } from '../state/ledger.js';
import { now, recordActivity, type RunContext } from './run-context.js';
import { activityContext, announceStart, resolveParams } from './steps.js';

export { FaultStack, type ActiveFault } from './fault-stack.js';

/** How long an inject told to stop (timeout, abort) may still take to settle: its own timeout, within bounds. */
const SETTLE_GRACE_MS = { min: 1_000, max: 30_000 };

/** What the inject body did so far; filled in by the body, read when it settles (or when it is given up on). */
interface InjectProgress {
  ledgerId: string | null;
  /** The latest state the plugin recorded: what a revert needs if the inject changed anything. */
  recorded: JsonObject | null;
  /** The inject returned: its final state, and when the change was made (RTO's t0, before the ledger's fsync). */
  injected: { state: JsonObject; at: string } | null;
  settled: boolean;
}

export function ledgerTarget(ctx: RunContext, name: string): LedgerTarget {
  const connected = ctx.targets.get(name);
  const target = ctx.experiment.targets[name];
  if (!connected || !target) throw new Error(`target "${name}" is not connected`);
  return { name, type: target.type, key: connected.key, configTemplate: target.configTemplate };
}

/**
 * Injects a fault step; with a `duration`, holds it for that long and reverts it. Returns the inject activity.
 * The fault stays on the stack (and is reverted later) when the run is aborted during its duration.
 */
export async function runFaultStep(ctx: RunContext, stack: FaultStack, step: FaultStep, signal: AbortSignal): Promise<ActivityRecord> {
  const def = ctx.plugins.faults.get(step.type)?.def;
  const progress: InjectProgress = { ledgerId: null, recorded: null, injected: null, settled: false };
  let body: Promise<ActivityResult> | null = null;
  const settleMs = Math.min(Math.max(step.timeoutMs, SETTLE_GRACE_MS.min), SETTLE_GRACE_MS.max);
  const record = await runActivity(
    { kind: 'fault', name: step.name, section: 'method', type: step.type, target: step.target, timeoutMs: step.timeoutMs, signal, settleMs },
    (activitySignal) => {
      body = injectBody(ctx, step, def, progress, activitySignal).finally(() => {
        progress.settled = true;
      });
      return body;
    },
    announceStart(ctx, 'fault', step.name, 'method'),
  );

  let active: ActiveFault | null = null;
  if (def !== undefined && body !== null && !progress.settled) {
    ctx.logger.warn(`the inject of "${step.name}" is still running after it ${record.status === 'aborted' ? 'was aborted' : 'timed out'}; it is reverted once it ends`);
    stack.trackLate(
      { step, def, ledgerId: () => progress.ledgerId, recorded: () => progress.recorded },
      body,
      async (abandoned) => {
        const late = await concludeInject(ctx, stack, step, def, progress, record.message, abandoned);
        if (late !== null) await announceInjected(ctx, late, record.startedAt, progress);
      },
    );
  } else if (def !== undefined) {
    active = await concludeInject(ctx, stack, step, def, progress, record.message, false);
  }
  await recordActivity(ctx, record);
  if (active === null) return record;
  await announceInjected(ctx, active, record.startedAt, progress);
  // A step that failed (timed out, aborted) while its inject still landed: the fault is reverted with the others.
  if (step.durationMs !== null && record.status === 'succeeded') {
    try {
      await sleep(step.durationMs, signal);
      await stack.revert(ctx, active, 'method');
    } catch (error) {
      if (!(error instanceof AbortedError)) throw error;
      // Aborted while holding the fault: it stays on the stack and is reverted with the others.
    }
  }
  return record;
}

async function injectBody(ctx: RunContext, step: FaultStep, def: FaultType | undefined, progress: InjectProgress, signal: AbortSignal): Promise<ActivityResult> {
  if (def === undefined) throw new Error(`no plugin provides fault type "${step.type}"`);
  const params = resolveParams(ctx.targets, step, def.params);
  const id = await ctx.ledger.begin('fault', step.type, ledgerTarget(ctx, step.target), ctx.redact(step.rawParams), step.name);
  progress.ledgerId = id;
  const session = ctx.targets.get(step.target)?.connection.session;
  const state = await def.inject(session, params, {
    ...activityContext(ctx, signal, step.target),
    record: async (s) => {
      progress.recorded = s;
      await ctx.ledger.recordState(id, s);
    },
  });
  progress.injected = { state, at: now() };
  return { ok: true, message: `injected ${step.type} on ${step.target}`, output: state };
}

/**
 * Decides, once the inject body settled, what it did: injected (marked active, pushed to be reverted), perhaps
 * partly injected (it recorded a state, then failed: pushed with that state), or nothing. Abandoned: the final
 * revert is over, so it is only written to the ledger, where `chaos recover` finds it. Returns the injected fault.
 */
async function concludeInject(
  ctx: RunContext,
  stack: FaultStack,
  step: FaultStep,
  def: FaultType,
  progress: InjectProgress,
  failure: string,
  abandoned: boolean,
): Promise<ActiveFault | null> {
  const { ledgerId, recorded, injected } = progress;
  if (ledgerId === null) return null; // failed before its ledger entry: nothing was changed
  if (injected !== null) {
    const fault: ActiveFault = { ledgerId, step, def, state: injected.state };
    await ctx.ledger.markActive(ledgerId, injected.state).catch((error: unknown) => ctx.logger.warn(`could not mark "${step.name}" active in the ledger: ${String(error)}`));
    if (abandoned) {
      ctx.logger.warn(`"${step.name}": its inject finished after the final revert: ${step.type} is in place on ${step.target}; run \`chaos recover\``);
      return null;
    }
    return stack.push(fault) ? fault : null;
  }
  if (recorded !== null) {
    // It may have changed something before failing: revert it with what it recorded.
    if (!abandoned) stack.push({ ledgerId, step, def, state: recorded });
    return null;
  }
  await ctx.ledger.markNotInjected(ledgerId, failure).catch(() => undefined);
  return null;
}

async function announceInjected(ctx: RunContext, fault: ActiveFault, startedAt: string, progress: InjectProgress): Promise<void> {
  const { step } = fault;
  await ctx.bus.emit('fault:injected', {
    id: fault.ledgerId,
    name: step.name,
    type: step.type,
    target: step.target,
    state: fault.state,
    startedAt,
    at: progress.injected?.at ?? now(),
  });
}

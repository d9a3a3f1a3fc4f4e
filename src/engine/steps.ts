/**
 * Probe, action and pause steps, and the run-time resolution of a step's parameters (`${targets.X.attr}` become
 * known only after connecting, so those steps are parsed again here with their type's own schema).
 */
import { z } from 'zod';
import { substituteTargetAttributes } from '../experiment/substitute.js';
import type { ActionStep, PauseStep, ProbeStep } from '../experiment/types.js';
import { formatDuration } from '../units/duration.js';
import type { ActivityContext, ParamsSchema } from '../plugins/api.js';
import { runActivity, sleep, type ActivityResult } from './activity.js';
import type { ActivityRecord } from './events.js';
import { recordActivity, type RunContext } from './run-context.js';
import { attributesOf, type ConnectedTarget } from './targets.js';
import type { JsonObject } from '../json.js';

/** The step's parameters, with target attributes substituted and parsed again when it has any. */
export function resolveParams(
  targets: Map<string, ConnectedTarget>,
  step: { params: unknown; rawParams: JsonObject; needsTargetAttributes: boolean; name: string },
  schema: ParamsSchema,
): unknown {
  if (!step.needsTargetAttributes) return step.params;
  const substituted = substituteTargetAttributes(step.rawParams, attributesOf(targets));
  const parsed = schema.safeParse(substituted);
  if (!parsed.success) {
    throw new Error(`parameters of "${step.name}" are invalid once targets are known: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

export function activityContext(
  ctx: Pick<RunContext, 'runId' | 'logger'>,
  signal: AbortSignal,
  targetName: string | null,
): ActivityContext {
  return { runId: ctx.runId, signal, logger: ctx.logger, targetName };
}

function sessionFor(ctx: RunContext, target: string | null): unknown {
  return target === null ? undefined : ctx.targets.get(target)?.connection.session;
}

/** The `onStart` hook of runActivity that announces the activity on the bus. */
export function announceStart(ctx: RunContext, kind: ActivityRecord['kind'], name: string, section: string) {
  return { onStart: (id: string, at: string) => ctx.bus.emit('activity:start', { id, kind, name, section, at }) };
}

type TypedStep = ProbeStep | ActionStep;

/** Runs a probe or an action: resolves its parameters, calls the plugin, records the activity. */
async function runTypedStep(
  ctx: RunContext,
  step: TypedStep,
  section: string,
  signal: AbortSignal,
  def: { params: ParamsSchema } | undefined,
  call: (params: unknown, session: unknown, actx: ActivityContext) => Promise<ActivityResult>,
): Promise<ActivityRecord> {
  const record = await runActivity(
    { kind: step.kind, name: step.name, section, type: step.type, target: step.target, timeoutMs: step.timeoutMs, signal },
    async (activitySignal) => {
      if (!def) throw new Error(`no plugin provides ${step.kind} type "${step.type}"`);
      const params = resolveParams(ctx.targets, step, def.params);
      return call(params, sessionFor(ctx, step.target), activityContext(ctx, activitySignal, step.target));
    },
    announceStart(ctx, step.kind, step.name, section),
  );
  await recordActivity(ctx, record);
  return record;
}

export function runProbeStep(ctx: RunContext, step: ProbeStep, section: string, signal: AbortSignal): Promise<ActivityRecord> {
  const def = ctx.plugins.probes.get(step.type)?.def;
  return runTypedStep(ctx, step, section, signal, def, (params, session, actx) => def!.run(session, params, actx));
}

export function runActionStep(ctx: RunContext, step: ActionStep, section: string, signal: AbortSignal): Promise<ActivityRecord> {
  const def = ctx.plugins.actions.get(step.type)?.def;
  return runTypedStep(ctx, step, section, signal, def, async (params, session, actx) => ({
    ok: true,
    message: `${step.type} done`,
    output: await def!.run(session, params, actx),
  }));
}

export async function runPauseStep(ctx: RunContext, step: PauseStep, section: string, signal: AbortSignal): Promise<ActivityRecord> {
  const record = await runActivity(
    // The pause's own length is not a timeout; give it slack so the timer never wins the race.
    { kind: 'pause', name: step.name, section, type: null, target: null, timeoutMs: step.durationMs + 60_000, signal },
    async (activitySignal) => {
      await sleep(step.durationMs, activitySignal);
      return { ok: true, message: `paused ${formatDuration(step.durationMs)}`, output: null };
    },
    announceStart(ctx, 'pause', step.name, section),
  );
  await recordActivity(ctx, record);
  return record;
}

/** Runs steady-state probes in order; the hypothesis holds when every probe succeeded. */
export async function checkSteadyState(
  ctx: RunContext,
  when: 'before' | 'after',
  signal: AbortSignal,
): Promise<{ held: boolean; activities: ActivityRecord[] }> {
  const activities: ActivityRecord[] = [];
  for (const step of ctx.experiment.steadyState) {
    activities.push(await runProbeStep(ctx, step, `steadyState.${when}`, signal));
  }
  const held = activities.every((a) => a.status === 'succeeded');
  const failed = activities.filter((a) => a.status !== 'succeeded').map((a) => `${a.name}: ${a.message}`);
  (held ? ctx.logger.info : ctx.logger.warn).call(
    ctx.logger,
    held
      ? `steady state ${when}: held (${activities.length} probe${activities.length === 1 ? '' : 's'})`
      : `steady state ${when}: NOT held — ${failed.join('; ')}`,
  );
  return { held, activities };
}

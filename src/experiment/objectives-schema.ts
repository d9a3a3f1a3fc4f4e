/**
 * The `objectives:` section (SLO, RTO, RPO) and `safety.abortWhen` (guardrails), in zod. Built with the registry's
 * probe spec, since the RTO probe and probe guardrails are ordinary probes.
 */
import { z } from 'zod';
import type { JsonObject } from '../json.js';
import { durationSchema } from '../units/duration.js';
import { percentSchema } from '../units/percent.js';

/** How a PromQL SLO reduces the points of its window to one value. */
export const PROMQL_REDUCERS = ['max', 'min', 'avg', 'last'] as const;
export type PromqlReducer = (typeof PROMQL_REDUCERS)[number];

/** The windows of DESIGN.md §3 an SLO is measured over (measure/windows.ts computes them). */
export const WINDOW_NAMES = ['run', 'before', 'during', 'after'] as const;
export type WindowName = (typeof WINDOW_NAMES)[number];

type AnyObject = z.ZodObject<z.ZodRawShape>;

const percentile = z.number().gt(0).lt(100).meta({ description: 'The percentile, e.g. 95 or 99.9' });
const failStatus = z.union([z.literal(400), z.literal(500)]).default(500)
  .meta({ description: 'Statuses from this up are failures: 500 (default) or 400 (4xx too)' });

function positiveDuration(fallback: string) {
  return durationSchema.prefault(fallback).refine((ms) => ms > 0, { message: 'must be more than 0', params: { code: 'E_VALUE', hint: 'e.g. 100ms' } });
}

/** Exactly one of `keys` must be present; reported like the method's step kinds. */
function exactlyOne(keys: readonly string[]) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const present = keys.filter((k) => value[k] !== undefined);
    if (present.length === 1) return;
    const list = keys.map((k) => `"${k}"`).join(', ');
    ctx.addIssue({
      code: 'custom',
      message: present.length === 0 ? `needs one of ${list}` : `has ${present.map((k) => `"${k}"`).join(' and ')}: exactly one of ${list}`,
      params: { code: 'E_ONE_OF', hint: present.length > 1 ? 'write one entry per condition' : `add one of ${list}` },
    });
  };
}

export const SLO_KINDS = ['availability', 'errorRate', 'latency', 'throughput', 'promql'] as const;

/** The PromQL-valued SLO: a range query over the window, reduced to one value. */
const promqlSloSchema = z
  .strictObject({
    target: z.string().min(1).meta({ description: 'A prometheus target from `targets:`' }),
    query: z.string().min(1).meta({ description: 'PromQL returning one series, evaluated over the window with a range query' }),
    below: z.number().optional().meta({ description: 'Met when the reduced value is below this' }),
    atLeast: z.number().optional().meta({ description: 'Met when the reduced value is at least this' }),
    reduce: z.enum(PROMQL_REDUCERS).optional()
      .meta({ description: 'How the window\'s points become one value: max, min, avg or last; default the worst (max with below, min with atLeast)' }),
    step: positiveDuration('5s').meta({ description: 'Resolution of the range query (Prometheus `step`)' }),
  })
  .superRefine(exactlyOne(['below', 'atLeast']));

export const sloSchema = z
  .strictObject({
    name: z.string().min(1).optional(),
    availability: z.strictObject({ atLeast: percentSchema }).optional(),
    errorRate: z.strictObject({ below: percentSchema }).optional(),
    latency: z.strictObject({ p: percentile, below: durationSchema }).optional(),
    throughput: z.strictObject({ atLeast: z.number().min(0).meta({ description: 'requests per second' }) }).optional(),
    promql: promqlSloSchema.optional(),
    window: z.enum(WINDOW_NAMES).default('run'),
    failStatus,
  })
  .superRefine(exactlyOne(SLO_KINDS));

export const GUARDRAIL_KINDS = ['errorRate', 'availability', 'latency', 'probe', 'promql'] as const;

/** A PromQL guardrail: an instant query every `interval`; trips when the value stays past the limit for `for`. */
const promqlGuardrailSchema = z
  .strictObject({
    target: z.string().min(1).meta({ description: 'A prometheus target from `targets:`' }),
    query: z.string().min(1).meta({ description: 'PromQL returning one series' }),
    above: z.number().optional().meta({ description: 'Trips when the value is above this' }),
    below: z.number().optional().meta({ description: 'Trips when the value is below this' }),
  })
  .superRefine(exactlyOne(['above', 'below']));

export function guardrailSchema(probeSpec: z.ZodType): z.ZodType {
  return z
    .strictObject({
      errorRate: z.strictObject({ above: percentSchema }).optional(),
      availability: z.strictObject({ below: percentSchema }).optional(),
      latency: z.strictObject({ p: percentile, above: durationSchema }).optional(),
      probe: probeSpec.optional(),
      promql: promqlGuardrailSchema.optional(),
      for: durationSchema.prefault('0s').meta({ description: 'The condition must hold this long before the run aborts' }),
      over: durationSchema.prefault('5s').meta({ description: 'Trailing window the load conditions are computed over' }),
      minRequests: z.int().min(1).default(10).meta({ description: 'Fewer requests in the window: the load conditions do not apply' }),
      interval: durationSchema.prefault('1s').meta({ description: 'How often a probe or PromQL guardrail runs its probe or query' }),
      failures: z.int().min(1).default(3).meta({ description: 'Consecutive probe failures that trip a probe guardrail' }),
      failStatus,
    })
    .superRefine(exactlyOne(GUARDRAIL_KINDS));
}


/** `rpoEndpoints`: per role, the union of every plugin's RPO endpoint (the `rpoStore` capability), keyed by `type`. */
export function objectivesSchema(probeSpec: z.ZodType, rpoEndpoints: Record<'writer' | 'reader', z.ZodType>): AnyObject {
  return z.strictObject({
    rto: z
      .strictObject({
        max: durationSchema,
        probe: probeSpec,
        interval: positiveDuration('1s'),
        recoveredAfter: z.int().min(1).default(3).meta({ description: 'Consecutive successes that end the outage' }),
        from: z.string().min(1).optional().meta({ description: 'The fault step t0 is taken from (default: the first fault)' }),
        timeout: positiveDuration('1s').meta({ description: 'A probe not answered within this failed' }),
      })
      .optional(),
    rpo: z
      .strictObject({
        max: durationSchema,
        writer: rpoEndpoints.writer,
        reader: rpoEndpoints.reader,
        interval: positiveDuration('100ms'),
        timeout: positiveDuration('2s').meta({ description: 'A write not acknowledged within this is not acknowledged' }),
      })
      .optional(),
    slo: z.array(sloSchema).default([]),
  });
}

export type SloConfig = z.output<typeof sloSchema>;
export type PromqlGuardrailConfig = z.output<typeof promqlGuardrailSchema>;
/** An RPO writer or reader as its plugin's `rpoStore.endpoint` schema gave it; `type` names the plugin. */
export type RpoEndpoint = { type: string } & JsonObject;

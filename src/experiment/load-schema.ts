/**
 * The `load:` section: which driver, and its settings. Part of the experiment schema (src/experiment/schema.ts).
 * `url` is not checked as a URL here: it may hold `${targets.lab.url}/orders` until the targets are connected.
 *
 * `http` is the open model (DESIGN.md §3: the default for measured latency): requests leave on a schedule whatever
 * is outstanding. `autocannon` is the closed model: each connection waits for its answer before the next request.
 */
import { z } from 'zod';
import { durationSchema } from '../units/duration.js';
import { percentSchema } from '../units/percent.js';
import { hasTargetReferences } from './substitute.js';

/** An http(s) URL, or one that will be once `${targets.…}` in it is substituted (checked again then). */
const url = z.string().min(1).refine((value) => hasTargetReferences(value) || isHttpUrl(value), {
  message: 'expected an http:// or https:// URL',
  params: { code: 'E_VALUE', hint: 'e.g. http://127.0.0.1:8080/orders or ${targets.lab.url}/orders' },
});

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const bucket = durationSchema.prefault('100ms').meta({ description: 'Timeline bucket width (default 100ms)' });
const method = z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET');
const headers = z.record(z.string(), z.string()).default({});
const body = z.string().optional();
const allowDropped = percentSchema.default(0.01).meta({
  description: 'An SLO over a window in which more than this share of the intended requests were dropped is "not measured" (default 1%)',
});

/** One stage of a ramp, as k6's ramping-arrival-rate: the rate moves linearly to `rate` over `for`. */
const stageSchema = z.strictObject({
  rate: z.number().min(0).meta({ description: 'Requests per second at the end of the stage' }),
  for: durationSchema.refine((ms) => ms > 0, { message: 'must be more than 0', params: { code: 'E_VALUE', hint: 'e.g. 10s' } })
    .meta({ description: 'How long the stage takes' }),
});

export const httpLoadSchema = z
  .strictObject({
    type: z.literal('http'),
    url,
    method,
    headers,
    body,
    rate: z.number().positive().optional()
      .meta({ description: 'Requests per second, each sent at its scheduled time whatever is outstanding; with `stages`, the rate at the start (default 0)' }),
    stages: z.array(stageSchema).min(1).optional()
      .meta({ description: 'A ramp, as k6\'s ramping-arrival-rate: from the previous rate linearly to each stage\'s `rate` over its `for`; the last rate holds until load stops' }),
    connections: z.int().min(1).max(100_000).optional()
      .meta({ description: 'Keep-alive connections at most (default: one per request outstanding, as independent users open). Fewer make requests wait in the driver when all are busy; their latency still counts from the scheduled time' }),
    maxInFlight: z.int().min(1).max(100_000).default(1000)
      .meta({ description: 'Requests outstanding at once; a request due while this many are outstanding is counted as dropped, never sent late' }),
    timeout: durationSchema.prefault('10s').refine((ms) => ms > 0, { message: 'must be more than 0', params: { code: 'E_VALUE', hint: 'e.g. 2s' } })
      .meta({ description: 'A request not answered this long after its scheduled send time counts as a timeout, at this latency' }),
    allowDropped,
    bucket,
  })
  .superRefine((value, ctx) => {
    if (value.rate !== undefined || value.stages !== undefined) return;
    ctx.addIssue({ code: 'custom', message: 'needs "rate" (requests per second) or "stages" (a ramp)', params: { code: 'E_ONE_OF', hint: 'e.g. rate: 100' } });
  })
  .meta({ description: 'Open-model HTTP load (constant arrival rate, or a ramp): latency counts from each request\'s scheduled send time' });

/** autocannon's own minimum: its timeout is a whole number of seconds or more (fractions above 1 s work). */
const AUTOCANNON_MIN_TIMEOUT_MS = 1000;

export const autocannonLoadSchema = z.strictObject({
  type: z.literal('autocannon'),
  url,
  method,
  headers,
  body,
  connections: z.int().min(1).max(10_000).default(10).meta({ description: 'Concurrent connections (closed model without `rate`)' }),
  rate: z.number().positive().optional().meta({ description: 'Requests per second over all connections; absent: as fast as answered' }),
  timeout: durationSchema.prefault('10s')
    .refine((ms) => ms >= AUTOCANNON_MIN_TIMEOUT_MS, {
      message: 'autocannon cannot time out a request sooner than 1s',
      params: { code: 'E_VALUE', hint: 'use 1s or more, or `type: http` (the open model) for shorter timeouts' },
    })
    .meta({ description: 'A request not answered within this counts as a timeout, at this latency (1s or more)' }),
  bucket,
}).meta({ description: 'Closed-model HTTP load with autocannon: each connection waits for its answer before sending again' });

export const k6LoadSchema = z.strictObject({
  type: z.literal('k6'),
  script: z.string().min(1).meta({ description: 'A k6 script, e.g. scenarios/k6/steady-get.ts' }),
  env: z.record(z.string(), z.string()).default({}).meta({ description: 'Passed to the script as __ENV (k6 -e)' }),
  args: z.array(z.string()).default([]).meta({ description: 'Extra arguments for `k6 run`' }),
  binary: z.string().min(1).default('k6').meta({ description: 'The k6 executable (default: k6 on the PATH)' }),
  allowDropped,
  bucket,
}).meta({ description: 'Load from `k6 run`, streamed through its JSON output' });

export const loadSchema = z.discriminatedUnion('type', [httpLoadSchema, autocannonLoadSchema, k6LoadSchema]);

export type HttpLoad = z.output<typeof httpLoadSchema>;
export type RampStage = z.output<typeof stageSchema>;
export type AutocannonLoad = z.output<typeof autocannonLoadSchema>;
export type K6Load = z.output<typeof k6LoadSchema>;
export type LoadConfig = z.output<typeof loadSchema>;

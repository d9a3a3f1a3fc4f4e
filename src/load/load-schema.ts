/**
 * The `load:` section: which driver, and its settings. Part of the experiment schema (src/experiment/schema.ts).
 * `url` is not checked as a URL here: it may hold `${targets.lab.url}/orders` until the targets are connected.
 */
import { z } from 'zod';
import { durationSchema } from '../experiment/duration.js';

const bucket = durationSchema.prefault('100ms').meta({ description: 'Timeline bucket width (default 100ms)' });

export const autocannonLoadSchema = z.strictObject({
  type: z.literal('autocannon'),
  url: z.string().min(1),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET'),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().optional(),
  connections: z.int().min(1).max(10_000).default(10).meta({ description: 'Concurrent connections (closed model without `rate`)' }),
  rate: z.number().positive().optional().meta({ description: 'Requests per second over all connections; absent: as fast as answered' }),
  timeout: durationSchema.prefault('10s').meta({ description: 'A request not answered within this counts as a timeout' }),
  bucket,
}).meta({ description: 'In-process HTTP load with autocannon' });

export const k6LoadSchema = z.strictObject({
  type: z.literal('k6'),
  script: z.string().min(1).meta({ description: 'A k6 script, e.g. scenarios/k6/steady-get.ts' }),
  env: z.record(z.string(), z.string()).default({}).meta({ description: 'Passed to the script as __ENV (k6 -e)' }),
  args: z.array(z.string()).default([]).meta({ description: 'Extra arguments for `k6 run`' }),
  binary: z.string().min(1).default('k6').meta({ description: 'The k6 executable (default: k6 on the PATH)' }),
  bucket,
}).meta({ description: 'Load from `k6 run`, streamed through its JSON output' });

export const loadSchema = z.discriminatedUnion('type', [autocannonLoadSchema, k6LoadSchema]);

export type AutocannonLoad = z.output<typeof autocannonLoadSchema>;
export type K6Load = z.output<typeof k6LoadSchema>;
export type LoadConfig = z.output<typeof loadSchema>;

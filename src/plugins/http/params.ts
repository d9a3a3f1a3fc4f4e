/**
 * Parameters shared by the `http` probe and the `http.request` action.
 */
import { z } from 'zod';
import { jsonValueSchema } from '../../json.js';
import { durationSchema } from '../../units/duration.js';
import { toleranceSchema } from '../../units/tolerance-schema.js';

const expectSchema = z
  .object({
    status: toleranceSchema.optional().describe('tolerance for the status code; default 200..399'),
    body: toleranceSchema.optional().describe('tolerance for the response body (as text)'),
    json: z
      .array(z.object({ path: z.string().min(1), value: toleranceSchema.optional() }).strict())
      .optional()
      .describe('JSONPath checks on the body; without `value` the path must match something'),
    latency: durationSchema.optional().describe('the response must be complete within this'),
  })
  .strict();

export const httpParamsSchema = z
  .object({
    // Not checked as a URL here: it may hold `${targets.app.url}/x` until the targets are connected.
    url: z.string().min(1),
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET'),
    headers: z.record(z.string(), z.string()).optional(),
    body: z
      .union([z.string(), z.record(z.string(), jsonValueSchema), z.array(jsonValueSchema)])
      .optional()
      .describe('a string is sent as is; an object or array is sent as JSON'),
    timeout: durationSchema.prefault('5s'),
    followRedirects: z.boolean().default(false),
    expect: expectSchema.optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.body !== undefined && (p.method === 'GET' || p.method === 'HEAD')) {
      ctx.addIssue({
        code: 'custom',
        path: ['body'],
        message: `a ${p.method} request cannot have a body; set \`method\` (e.g. POST) or remove \`body\``,
      });
    }
  });

export type HttpParams = z.output<typeof httpParamsSchema>;

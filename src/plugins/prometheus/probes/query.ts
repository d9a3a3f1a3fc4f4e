import { z } from 'zod';
import type { ProbeType } from '../../api.js';
import { checkTolerance, toleranceSchema } from '../../shared/tolerance.js';
import type { PrometheusSession } from '../session.js';

const paramsSchema = z
  .object({
    query: z.string().min(1).describe('PromQL evaluated now; it must return exactly one series (or a scalar)'),
    expect: toleranceSchema.describe('tolerance for the value, e.g. { range: [0, 0.01] } or 1'),
  })
  .strict();

type Params = z.output<typeof paramsSchema>;

/** `prometheus.query`: an instant query whose single value must meet a tolerance. */
export const queryProbe: ProbeType<PrometheusSession, Params> = {
  type: 'prometheus.query',
  description: 'Run an instant PromQL query and check its single value against a tolerance',
  needsTarget: true,
  params: paramsSchema,
  async run(session, params, ctx) {
    if (!session) throw new Error('prometheus.query needs a prometheus target');
    // Empty results, several series and rejected queries throw: the probe fails with that message.
    const { value, labels } = await session.instantValue(params.query, ctx.signal);
    const verdict = checkTolerance(params.expect, value);
    return {
      ok: verdict.ok,
      message: `${params.query} = ${verdict.message}`,
      output: { query: params.query, value: Number.isFinite(value) ? value : String(value), labels },
    };
  },
};

import { defineProbe } from '../../api.js';
import { checkTolerance } from '../../shared/tolerance.js';
import type { PrometheusSession } from '../session.js';
import { querySpec } from '../specs.js';

/** `prometheus.query`: an instant query whose single value must meet a tolerance. */
export const queryProbe = defineProbe({
  ...querySpec,
  async run(session: PrometheusSession | undefined, params, ctx) {
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
});

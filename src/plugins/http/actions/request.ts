import { ChaosError, ExitCode } from '../../../errors.js';
import type { ActionType } from '../../api.js';
import { httpParamsSchema, type HttpParams } from '../params.js';
import { runHttpCheck } from '../request.js';

/** `http.request`: sends a request (e.g. `POST /admin/failback`); fails when the response does not meet `expect`. */
export const httpRequestAction: ActionType<unknown, HttpParams> = {
  type: 'http.request',
  description: 'Send an HTTP request; fails unless the response meets `expect` (default: status 200..399)',
  needsTarget: false,
  params: httpParamsSchema,
  async run(_session, params, ctx) {
    const outcome = await runHttpCheck(params, ctx.signal);
    if (!outcome.ok) {
      throw new ChaosError(`${params.method} ${params.url}: ${outcome.message}`, {
        code: 'E_HTTP_REQUEST_FAILED',
        exitCode: ExitCode.Failed,
      });
    }
    return outcome.output;
  },
};

import { ChaosError, ExitCode } from '../../../errors.js';
import { defineAction } from '../../api.js';
import { runHttpCheck } from '../request.js';
import { httpRequestSpec } from '../specs.js';

/** `http.request`: sends a request (e.g. `POST /admin/failback`); fails when the response does not meet `expect`. */
export const httpRequestAction = defineAction({
  ...httpRequestSpec,
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
});

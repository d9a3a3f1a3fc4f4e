import { defineProbe } from '../../api.js';
import { runHttpCheck } from '../request.js';
import { httpSpec } from '../specs.js';

/** `http`: one request; passes when the response meets `expect` (by default a status of 200..399). */
export const httpProbe = defineProbe({
  ...httpSpec,
  run: (_session, params, ctx) => runHttpCheck(params, ctx.signal),
});

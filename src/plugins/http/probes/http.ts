import type { ProbeType } from '../../api.js';
import { httpParamsSchema, type HttpParams } from '../params.js';
import { runHttpCheck } from '../request.js';

/** `http`: one request; passes when the response meets `expect` (by default a status of 200..399). */
export const httpProbe: ProbeType<unknown, HttpParams> = {
  type: 'http',
  description: 'Send an HTTP request and check the status, body, JSON and latency of the response',
  needsTarget: false,
  params: httpParamsSchema,
  run: (_session, params, ctx) => runHttpCheck(params, ctx.signal),
};

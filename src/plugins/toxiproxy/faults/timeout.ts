/**
 * `toxiproxy.timeout`: no data gets through; the connection closes after `timeout` without data (0s: it hangs
 * until the fault is reverted). Reverting closes the connections it held, as Toxiproxy does.
 */
import { z } from 'zod';
import { durationSchema, formatDuration } from '../../../units/duration.js';
import { commonToxicParams, toxicFault } from './toxic-fault.js';

const params = z
  .object({ ...commonToxicParams, timeout: durationSchema.prefault('0s').describe('close after this long; 0s: hold until reverted') })
  .strict();

export const timeoutFault = toxicFault<z.output<typeof params>>({
  name: 'timeout',
  toxicType: 'timeout',
  description: 'Stop all data through a proxy; close connections after the timeout (0s: hold them)',
  params,
  attributes: (p) => ({ timeout: p.timeout }),
  summary: (p) => (p.timeout === 0 ? 'all data held (connections hang)' : `all data dropped, connections closed after ${formatDuration(p.timeout)}`),
});

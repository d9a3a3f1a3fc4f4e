/** `toxiproxy.latency`: delays the data of every affected connection by `latency` ± `jitter`. */
import { z } from 'zod';
import { durationSchema, formatDuration } from '../../../units/duration.js';
import { commonToxicParams, toxicFault } from './toxic-fault.js';

const params = z
  .object({
    ...commonToxicParams,
    latency: durationSchema.describe('the delay added to the data'),
    jitter: durationSchema.prefault('0ms').describe('± this much, drawn uniformly per chunk'),
  })
  .strict();

export const latencyFault = toxicFault<z.output<typeof params>>({
  name: 'latency',
  toxicType: 'latency',
  description: 'Delay the data through a proxy by latency ± jitter',
  params,
  attributes: (p) => ({ latency: p.latency, jitter: p.jitter }),
  summary: (p) => `${formatDuration(p.latency)}${p.jitter > 0 ? ` ± ${formatDuration(p.jitter)}` : ''} latency`,
});

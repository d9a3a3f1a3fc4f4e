/** `toxiproxy.slow-close`: the close of each connection is held back by `delay`. */
import { z } from 'zod';
import { durationSchema, formatDuration } from '../../../units/duration.js';
import { commonToxicParams, toxicFault } from './toxic-fault.js';

const params = z.object({ ...commonToxicParams, delay: durationSchema.describe('how long the close is held back') }).strict();

export const slowCloseFault = toxicFault<z.output<typeof params>>({
  name: 'slow-close',
  toxicType: 'slow_close',
  description: 'Delay the close of connections through a proxy',
  params,
  attributes: (p) => ({ delay: p.delay }),
  summary: (p) => `closes delayed by ${formatDuration(p.delay)}`,
});

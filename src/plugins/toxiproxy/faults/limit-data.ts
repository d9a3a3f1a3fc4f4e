/** `toxiproxy.limit-data`: each connection closes after exactly `bytes` bytes went through. */
import { z } from 'zod';
import { commonToxicParams, toxicFault } from './toxic-fault.js';

const params = z.object({ ...commonToxicParams, bytes: z.int().min(0).describe('bytes let through before the close') }).strict();

export const limitDataFault = toxicFault<z.output<typeof params>>({
  name: 'limit-data',
  toxicType: 'limit_data',
  description: 'Close each connection through a proxy after a number of bytes',
  params,
  attributes: (p) => ({ bytes: p.bytes }),
  summary: (p) => `connections closed after ${p.bytes} bytes`,
});

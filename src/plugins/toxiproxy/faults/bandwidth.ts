/** `toxiproxy.bandwidth`: limits each affected connection to `rate` KB/s (1 KB = 1000 bytes). */
import { z } from 'zod';
import { commonToxicParams, toxicFault } from './toxic-fault.js';

const params = z
  .object({ ...commonToxicParams, rate: z.int().min(1).describe('KB/s (1 KB = 1000 bytes)') })
  .strict();

export const bandwidthFault = toxicFault<z.output<typeof params>>({
  name: 'bandwidth',
  toxicType: 'bandwidth',
  description: 'Limit the bandwidth of each connection through a proxy (KB/s)',
  params,
  attributes: (p) => ({ rate: p.rate }),
  summary: (p) => `bandwidth limited to ${p.rate} KB/s`,
});

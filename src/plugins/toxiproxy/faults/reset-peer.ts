/** `toxiproxy.reset-peer`: connections are reset (TCP RST, ECONNRESET) `timeout` after data first arrives. */
import { z } from 'zod';
import { durationSchema, formatDuration } from '../../../units/duration.js';
import { commonToxicParams, toxicFault } from './toxic-fault.js';

const params = z
  .object({ ...commonToxicParams, timeout: durationSchema.prefault('0s').describe('reset this long after data first arrives') })
  .strict();

export const resetPeerFault = toxicFault<z.output<typeof params>>({
  name: 'reset-peer',
  toxicType: 'reset_peer',
  description: 'Reset connections through a proxy (TCP RST) after a timeout',
  params,
  attributes: (p) => ({ timeout: p.timeout }),
  summary: (p) => `connections reset${p.timeout > 0 ? ` ${formatDuration(p.timeout)} after data arrives` : ' when data arrives'}`,
});

/** `toxiproxy.limit-data`: each connection closes after exactly `bytes` bytes went through. */
import { limitDataSpec } from '../specs.js';
import { toxicFault } from './toxic-fault.js';

export const limitDataFault = toxicFault(limitDataSpec, {
  toxicType: 'limit_data',
  attributes: (p) => ({ bytes: p.bytes }),
  summary: (p) => `connections closed after ${p.bytes} bytes`,
});

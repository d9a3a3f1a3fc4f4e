/** `toxiproxy.bandwidth`: limits each affected connection to `rate` KB/s (1 KB = 1000 bytes). */
import { bandwidthSpec } from '../specs.js';
import { toxicFault } from './toxic-fault.js';

export const bandwidthFault = toxicFault(bandwidthSpec, {
  toxicType: 'bandwidth',
  attributes: (p) => ({ rate: p.rate }),
  summary: (p) => `bandwidth limited to ${p.rate} KB/s`,
});

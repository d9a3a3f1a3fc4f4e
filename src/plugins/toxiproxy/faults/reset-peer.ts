/** `toxiproxy.reset-peer`: connections are reset (TCP RST, ECONNRESET) `timeout` after data first arrives. */
import { formatDuration } from '../../../units/duration.js';
import { resetPeerSpec } from '../specs.js';
import { toxicFault } from './toxic-fault.js';

export const resetPeerFault = toxicFault(resetPeerSpec, {
  toxicType: 'reset_peer',
  attributes: (p) => ({ timeout: p.timeout }),
  summary: (p) => `connections reset${p.timeout > 0 ? ` ${formatDuration(p.timeout)} after data arrives` : ' when data arrives'}`,
});

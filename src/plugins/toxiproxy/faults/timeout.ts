/**
 * `toxiproxy.timeout`: no data gets through; the connection closes after `timeout` without data (0s: it hangs
 * until the fault is reverted). Reverting closes the connections it held, as Toxiproxy does.
 */
import { formatDuration } from '../../../units/duration.js';
import { timeoutSpec } from '../specs.js';
import { toxicFault } from './toxic-fault.js';

export const timeoutFault = toxicFault(timeoutSpec, {
  toxicType: 'timeout',
  attributes: (p) => ({ timeout: p.timeout }),
  summary: (p) => (p.timeout === 0 ? 'all data held (connections hang)' : `all data dropped, connections closed after ${formatDuration(p.timeout)}`),
});

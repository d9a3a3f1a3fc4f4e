/** `toxiproxy.slow-close`: the close of each connection is held back by `delay`. */
import { formatDuration } from '../../../units/duration.js';
import { slowCloseSpec } from '../specs.js';
import { toxicFault } from './toxic-fault.js';

export const slowCloseFault = toxicFault(slowCloseSpec, {
  toxicType: 'slow_close',
  attributes: (p) => ({ delay: p.delay }),
  summary: (p) => `closes delayed by ${formatDuration(p.delay)}`,
});

/** `toxiproxy.latency`: delays the data of every affected connection by `latency` ± `jitter`. */
import { formatDuration } from '../../../units/duration.js';
import { latencySpec } from '../specs.js';
import { toxicFault } from './toxic-fault.js';

export const latencyFault = toxicFault(latencySpec, {
  toxicType: 'latency',
  attributes: (p) => ({ latency: p.latency, jitter: p.jitter }),
  summary: (p) => `${formatDuration(p.latency)}${p.jitter > 0 ? ` ± ${formatDuration(p.jitter)}` : ''} latency`,
});

/**
 * The `tcp` plugin: no targets; a `tcp` probe that tells whether a port is open.
 */
import type { ChaosPlugin } from '../api.js';
import { tcpProbe } from './probes/tcp.js';

export const tcpPlugin: ChaosPlugin = {
  name: 'tcp',
  description: 'TCP reachability probes',
  probes: [tcpProbe],
};

/** The `tcp` plugin's implementation, loaded on demand (see index.ts). */
import type { PluginImplementation } from '../api.js';
import { tcpProbe } from './probes/tcp.js';

export const tcpImplementation: PluginImplementation = {
  probes: [tcpProbe],
};

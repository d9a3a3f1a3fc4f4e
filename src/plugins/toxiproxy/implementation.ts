/** The `toxiproxy` plugin's implementation, loaded on demand (see index.ts). */
import type { ConfigOf, PluginImplementation } from '../api.js';
import type { toxiproxyTarget } from './config.js';
import { bandwidthFault } from './faults/bandwidth.js';
import { downFault } from './faults/down.js';
import { latencyFault } from './faults/latency.js';
import { limitDataFault } from './faults/limit-data.js';
import { resetPeerFault } from './faults/reset-peer.js';
import { slicerFault } from './faults/slicer.js';
import { slowCloseFault } from './faults/slow-close.js';
import { timeoutFault } from './faults/timeout.js';
import { proxyProbe } from './probes/proxy.js';
import { proxyResource } from './proxy-resource.js';
import { connectToxiproxy, type ToxiproxySession } from './session.js';

export const toxiproxyImplementation: PluginImplementation<ConfigOf<typeof toxiproxyTarget>, ToxiproxySession> = {
  connect: connectToxiproxy,
  faults: [latencyFault, bandwidthFault, timeoutFault, resetPeerFault, slicerFault, limitDataFault, slowCloseFault, downFault],
  probes: [proxyProbe],
  resources: [proxyResource],
};

/**
 * The `toxiproxy` plugin: network faults through a Toxiproxy server (a real one at `url`, or the embedded,
 * API-compatible one started for the run), driven only through toxiproxy-node-client so both behave the same.
 */
import type { ChaosPlugin } from '../api.js';
import { toxiproxyConfigSchema, toxiproxyTargetKey, type ToxiproxyConfig } from './config.js';
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

export const toxiproxyPlugin: ChaosPlugin<ToxiproxyConfig, ToxiproxySession> = {
  name: 'toxiproxy',
  description: 'Network faults through Toxiproxy (url) or the embedded Toxiproxy-compatible proxy (no url)',
  config: toxiproxyConfigSchema,
  // `<proxy>.listen` and `<proxy>.port` for each proxy of the target.
  attributes: ['url', '*.listen', '*.port'],
  targetKey: toxiproxyTargetKey,
  connect: connectToxiproxy,
  faults: [latencyFault, bandwidthFault, timeoutFault, resetPeerFault, slicerFault, limitDataFault, slowCloseFault, downFault],
  probes: [proxyProbe],
  resources: [proxyResource],
};

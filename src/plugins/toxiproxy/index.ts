/**
 * The `toxiproxy` plugin: network faults through a Toxiproxy server (a real one at `url`, or the embedded,
 * API-compatible one started for the run), driven only through toxiproxy-node-client so both behave the same. This
 * is its manifest, what the registry holds; the implementation loads when a run first needs it.
 */
import type { ConfigOf, PluginManifest } from '../api.js';
import { toxiproxyTarget } from './config.js';
import type { ToxiproxySession } from './session.js';
import {
  bandwidthSpec,
  downSpec,
  latencySpec,
  limitDataSpec,
  proxyResourceSpec,
  proxySpec,
  resetPeerSpec,
  slicerSpec,
  slowCloseSpec,
  timeoutSpec,
} from './specs.js';

export const toxiproxyPlugin: PluginManifest<ConfigOf<typeof toxiproxyTarget>, ToxiproxySession> = {
  name: 'toxiproxy',
  description: 'Network faults through Toxiproxy (url) or the embedded Toxiproxy-compatible proxy (no url)',
  ...toxiproxyTarget,
  faults: [latencySpec, bandwidthSpec, timeoutSpec, resetPeerSpec, slicerSpec, limitDataSpec, slowCloseSpec, downSpec],
  probes: [proxySpec],
  resources: [proxyResourceSpec],
  load: async () => (await import('./implementation.js')).toxiproxyImplementation,
};

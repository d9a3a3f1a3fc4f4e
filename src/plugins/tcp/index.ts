/**
 * The `tcp` plugin: no targets; a `tcp` probe that tells whether a port is open. This is its manifest, what the
 * registry holds; the implementation loads when a run first needs it.
 */
import type { PluginManifest } from '../api.js';
import { tcpSpec } from './specs.js';

export const tcpPlugin: PluginManifest = {
  name: 'tcp',
  description: 'TCP reachability probes',
  probes: [tcpSpec],
  load: async () => (await import('./implementation.js')).tcpImplementation,
};

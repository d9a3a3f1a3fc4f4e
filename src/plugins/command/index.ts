/**
 * The `command` plugin: no targets; runs local commands as probes and actions (argument arrays, no shell unless
 * `shell: true`), and an RPO writer and reader as commands. This is its manifest, what the registry holds; the
 * implementation loads when a run first needs it.
 */
import type { PluginManifest } from '../api.js';
import { commandActionSpec, commandProbeSpec, commandRpoStoreSpec } from './specs.js';

export const commandPlugin: PluginManifest = {
  name: 'command',
  description: 'Local commands as probes and actions',
  probes: [commandProbeSpec],
  actions: [commandActionSpec],
  rpoStore: commandRpoStoreSpec,
  load: async () => (await import('./implementation.js')).commandImplementation,
};

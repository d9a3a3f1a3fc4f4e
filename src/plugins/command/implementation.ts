/** The `command` plugin's implementation, loaded on demand (see index.ts). */
import type { PluginImplementation } from '../api.js';
import { commandAction } from './actions/command.js';
import { commandProbe } from './probes/command.js';
import { commandRpoStore } from './rpo-store.js';

export const commandImplementation: PluginImplementation = {
  probes: [commandProbe],
  actions: [commandAction],
  rpoStore: commandRpoStore,
};

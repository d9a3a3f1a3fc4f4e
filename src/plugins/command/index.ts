/**
 * The `command` plugin: no targets; runs local commands as probes and actions (argument arrays, no shell unless
 * `shell: true`), and an RPO writer and reader as commands.
 */
import type { ChaosPlugin } from '../api.js';
import { commandAction } from './actions/command.js';
import { commandProbe } from './probes/command.js';
import { commandRpoStore } from './rpo-store.js';

export const commandPlugin: ChaosPlugin = {
  name: 'command',
  description: 'Local commands as probes and actions',
  probes: [commandProbe],
  actions: [commandAction],
  rpoStore: commandRpoStore,
};

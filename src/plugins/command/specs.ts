/** The `command` plugin's types as the registry knows them before the plugin is loaded: names, descriptions, schemas. */
import type { ActionSpec, ProbeSpec } from '../api.js';
import { commandParamsSchema } from './params.js';

export const commandProbeSpec = {
  type: 'command',
  description: 'Run a command and check its exit code, stdout and stderr',
  needsTarget: false,
  params: commandParamsSchema,
} satisfies ProbeSpec;

export const commandActionSpec = {
  type: 'command',
  description: 'Run a command; fails unless exit code and output meet `expect` (default: exit code 0)',
  needsTarget: false,
  params: commandParamsSchema,
} satisfies ActionSpec;

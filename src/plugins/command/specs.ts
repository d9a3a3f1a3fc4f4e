/** The `command` plugin's types as the registry knows them before the plugin is loaded: names, descriptions, schemas. */
import { z } from 'zod';
import type { ActionSpec, ProbeSpec, RpoStoreSpec } from '../api.js';
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

const rpoEndpointSchema = z.strictObject({
  run: z.array(z.string()).min(1).meta({ description: 'argv; `{id}` in any argument is replaced by the record id' }),
  cwd: z.string().min(1).optional(),
  env: z.record(z.string(), z.string()).optional(),
});

/** An RPO writer or reader as commands (see rpo-store.ts). */
export const commandRpoStoreSpec = { endpoint: () => rpoEndpointSchema } satisfies RpoStoreSpec;

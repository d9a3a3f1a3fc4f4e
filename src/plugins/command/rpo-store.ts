/**
 * The RPO writer and reader as commands: `{id}` in any argument is the record's id; exit 0 = acknowledged /
 * present, another exit = not acknowledged / missing; a command that could not run or timed out = could not tell.
 */
import { z } from 'zod';
import type { RpoStoreType } from '../api.js';
import { perRecordStore } from '../shared/per-record-store.js';
import { runCommand } from './run-command.js';

const endpointSchema = z.strictObject({
  run: z.array(z.string()).min(1).meta({ description: 'argv; `{id}` in any argument is replaced by the record id' }),
  cwd: z.string().min(1).optional(),
  env: z.record(z.string(), z.string()).optional(),
});

export type CommandRpoEndpoint = z.output<typeof endpointSchema>;

export const commandRpoStore: RpoStoreType<CommandRpoEndpoint> = {
  endpoint: () => endpointSchema,
  open: (endpoint, options) => perRecordStore((id) => call(endpoint, id, options.timeoutMs)),
};

async function call(endpoint: CommandRpoEndpoint, id: number, timeoutMs: number): Promise<boolean | null> {
  const run = endpoint.run.map((arg) => arg.replaceAll('{id}', String(id)));
  const result = await runCommand({ run, shell: false, cwd: endpoint.cwd, env: endpoint.env, timeout: timeoutMs }, AbortSignal.timeout(timeoutMs));
  if (result.failure !== null) return null;
  return result.exitCode === 0;
}

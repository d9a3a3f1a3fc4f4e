/**
 * The RPO writer and reader as commands: `{id}` in any argument is the record's id; exit 0 = acknowledged /
 * present, another exit = not acknowledged / missing; a command that could not run or timed out = could not tell.
 */
import { defineRpoStore, type EndpointOf } from '../api.js';
import { perRecordStore } from '../shared/per-record-store.js';
import { runCommand } from './run-command.js';
import { commandRpoStoreSpec } from './specs.js';

type CommandRpoEndpoint = EndpointOf<typeof commandRpoStoreSpec>;

export const commandRpoStore = defineRpoStore({
  ...commandRpoStoreSpec,
  open: (endpoint, options) => perRecordStore((id) => call(endpoint, id, options.timeoutMs)),
});

async function call(endpoint: CommandRpoEndpoint, id: number, timeoutMs: number): Promise<boolean | null> {
  const run = endpoint.run.map((arg) => arg.replaceAll('{id}', String(id)));
  const result = await runCommand({ run, shell: false, cwd: endpoint.cwd, env: endpoint.env, timeout: timeoutMs }, AbortSignal.timeout(timeoutMs));
  if (result.failure !== null) return null;
  return result.exitCode === 0;
}

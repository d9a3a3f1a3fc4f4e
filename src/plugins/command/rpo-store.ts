/**
 * The RPO writer and reader as commands: `{id}` in any argument is the record's id; exit 0 = acknowledged /
 * present, another exit = not acknowledged / missing; a command that could not run or timed out = could not tell.
 */
import { z } from 'zod';
import type { RpoStore, RpoStoreOptions, RpoStoreType } from '../api.js';
import { runCommand } from './run-command.js';

const endpointSchema = z.strictObject({
  run: z.array(z.string()).min(1).meta({ description: 'argv; `{id}` in any argument is replaced by the record id' }),
  cwd: z.string().min(1).optional(),
  env: z.record(z.string(), z.string()).optional(),
});

export type CommandRpoEndpoint = z.output<typeof endpointSchema>;

export const commandRpoStore: RpoStoreType<CommandRpoEndpoint> = {
  endpoint: () => endpointSchema,
  open: (endpoint, options) => new CommandRpoStore(endpoint, options),
};

class CommandRpoStore implements RpoStore {
  constructor(
    private readonly endpoint: CommandRpoEndpoint,
    private readonly options: RpoStoreOptions,
  ) {}

  async write(id: number): Promise<boolean | null> {
    return (await this.#call(id)) === true ? true : null;
  }

  read(id: number): Promise<boolean | null> {
    return this.#call(id);
  }

  async close(): Promise<void> {}

  async #call(id: number): Promise<boolean | null> {
    const { endpoint, options } = this;
    const run = endpoint.run.map((arg) => arg.replaceAll('{id}', String(id)));
    const result = await runCommand({ run, shell: false, cwd: endpoint.cwd, env: endpoint.env, timeout: options.timeoutMs }, AbortSignal.timeout(options.timeoutMs));
    if (result.failure !== null) return null;
    return result.exitCode === 0;
  }
}

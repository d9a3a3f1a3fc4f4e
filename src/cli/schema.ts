/**
 * `chaos schema`: print the JSON Schema of experiment files (generated from the plugin registry), or with
 * `--kind gameday` the JSON Schema of game-day plans.
 */
import type { Argv } from 'yargs';
import { ExitCode } from '../errors.js';
import { experimentJsonSchema } from '../experiment/schema.js';
import { gamedayJsonSchema } from '../gameday/plan-schema.js';
import { createRegistry } from '../plugins/registry.js';
import type { CliIo } from './io.js';
import type { CommandBody } from './command.js';

export function schemaCommand(io: CliIo, setExit: (code: ExitCode) => void): CommandBody {
  return {
    builder: (y: Argv) =>
      y.option('kind', { choices: ['experiment', 'gameday'] as const, default: 'experiment' as const, describe: 'which file format' }),
    handler: (argv: unknown) => {
      const { kind } = argv as { kind: 'experiment' | 'gameday' };
      const schema = kind === 'gameday' ? gamedayJsonSchema() : experimentJsonSchema(createRegistry());
      io.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
      setExit(ExitCode.Ok);
    },
  };
}

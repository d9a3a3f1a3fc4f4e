/**
 * `chaos schema`: print the JSON Schema of experiment files (generated from the plugin registry), or with
 * `--kind gameday` the JSON Schema of game-day plans.
 */
import type { Argv } from 'yargs';
import type { GlobalFlags } from './options.js';
import { ExitCode } from '../errors.js';
import { formatJsonSchema } from '../experiment/json-schema-for-editors.js';
import { experimentJsonSchema } from '../experiment/schema.js';
import { gamedayJsonSchema } from '../gameday/plan-schema.js';
import { createRegistry } from '../plugins/registry.js';
import { withExamples } from './examples.js';
import type { CliIo } from './io.js';
import { commandBody, type CommandBody } from './command.js';

export function schemaCommand(io: CliIo, setExit: (code: ExitCode) => void): CommandBody {
  return commandBody(
    (y: Argv<GlobalFlags>) =>
      withExamples(y, [
        ['chaos schema > schema/experiment.schema.json', 'the JSON Schema of experiment files (editors: yaml-language-server)'],
        ['chaos schema --kind gameday > schema/gameday.schema.json', 'the JSON Schema of game-day plans'],
      ]).option('kind', { choices: ['experiment', 'gameday'] as const, default: 'experiment' as const, describe: 'which file format' }),
    ({ kind }: { kind: 'experiment' | 'gameday' }) => {
      const schema = kind === 'gameday' ? gamedayJsonSchema() : experimentJsonSchema(createRegistry());
      io.stdout.write(formatJsonSchema(schema));
      setExit(ExitCode.Ok);
    },
  );
}

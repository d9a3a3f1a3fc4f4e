/**
 * `chaos schema`: print the JSON Schema of experiment files (generated from the plugin registry).
 */
import { ExitCode } from '../errors.js';
import { experimentJsonSchema } from '../experiment/schema.js';
import { createRegistry } from '../plugins/registry.js';
import type { CliIo } from './io.js';

export function schemaCommand(io: CliIo, setExit: (code: ExitCode) => void) {
  return {
    command: 'schema',
    describe: 'print the JSON Schema of experiment files (for editors: yaml-language-server)',
    builder: {},
    handler: () => {
      io.stdout.write(`${JSON.stringify(experimentJsonSchema(createRegistry()), null, 2)}\n`);
      setExit(ExitCode.Ok);
    },
  };
}

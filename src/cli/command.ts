/**
 * Commands load on demand: main.ts knows each command's usage line and summary (all `chaos --help` shows), and
 * imports the command's file, with its options, its handler and everything they use, only when that command runs.
 * So `chaos --version` and `chaos --help` load yargs and little else, and `chaos validate` no engine or plugin.
 */
import type { Argv, CommandModule } from 'yargs';
import type { ExitCode } from '../errors.js';
import type { CliIo } from './io.js';

/** What a command's file gives: its options (and subcommands) and its handler. */
export interface CommandBody {
  builder?: (y: Argv) => Argv;
  handler: (argv: unknown) => void | Promise<void>;
}

/** Imports a command's file and builds its body for this invocation. */
export type LoadCommand = (io: CliIo, setExit: (code: ExitCode) => void) => Promise<CommandBody>;

/** A yargs command whose builder and handler are imported the first time yargs needs either (yargs awaits both). */
export function lazyCommand(command: string, describe: string, load: () => Promise<CommandBody>): CommandModule {
  let body: Promise<CommandBody> | undefined;
  const loaded = () => (body ??= load());
  return {
    command,
    describe,
    builder: async (y) => {
      const { builder } = await loaded();
      return builder ? builder(y) : y;
    },
    handler: async (argv) => (await loaded()).handler(argv),
  };
}

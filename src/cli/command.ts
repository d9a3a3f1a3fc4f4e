/**
 * Commands load on demand: main.ts knows each command's usage line and summary (all `chaos --help` shows), and
 * imports the command's file, with its options, its handler and everything they use, only when that command runs.
 * So `chaos --version` and `chaos --help` load yargs and little else, and `chaos validate` no engine or plugin.
 */
import type { Argv, CommandModule } from 'yargs';
import type { ExitCode } from '../errors.js';
import type { CliIo } from './io.js';
import type { GlobalFlags } from './options.js';

/** What a command's file gives: its options (and subcommands) and its handler. */
export interface CommandBody {
  builder?: (y: Argv) => Argv;
  handler: (argv: unknown) => void | Promise<void>;
}

/**
 * A command's body whose handler is typed by its builder: the flags are what the options the builder declares parse
 * to (and the global options), checked against the type the handler asks for. The one cast is where yargs hands the
 * handler the argv its builder declared.
 */
export function commandBody<Flags>(
  builder: (y: Argv<GlobalFlags>) => Argv<Flags>,
  handler: (flags: NoInfer<Flags>) => void | Promise<void>,
): CommandBody {
  return { builder: builder as unknown as (y: Argv) => Argv, handler: (argv) => handler(argv as Flags) };
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

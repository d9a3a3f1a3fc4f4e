/**
 * The `chaos` command line: yargs wiring only. Each command lives in its own file, imported when the command runs
 * (see command.ts), and receives the CliIo.
 */
import yargs from 'yargs';
import { ExitCode, exitCodeMeaning, messageOf } from '../errors.js';
import { VERSION } from '../version.js';
import { lazyCommand, type LoadCommand } from './command.js';
import type { CliIo } from './io.js';
import { withGlobalOptions } from './options.js';

/** Every command: its usage and summary (what `chaos --help` lists), and its file, imported only when it runs. */
const COMMANDS: readonly { usage: string; describe: string; load: LoadCommand }[] = [
  {
    usage: 'run <file>',
    describe: 'run an experiment: inject, observe, revert, and exit with the verdict',
    load: async (io, setExit) => (await import('./run.js')).runCommand(io, setExit),
  },
  {
    usage: 'validate <file>',
    describe: 'check an experiment file or a game-day plan (all problems at once); contacts nothing',
    load: async (io, setExit) => (await import('./validate.js')).validateCommand(io, setExit),
  },
  {
    usage: 'plan <file>',
    describe: 'resolve the file and its targets and show what would be injected, where and for how long',
    load: async (io, setExit) => (await import('./plan.js')).planCommand(io, setExit),
  },
  {
    usage: 'recover',
    describe: 'revert faults left behind by runs that died (kill -9, power loss); idempotent',
    load: async (io, setExit) => (await import('./recover.js')).recoverCommand(io, setExit),
  },
  {
    usage: 'schema',
    describe: 'print the JSON Schema of experiment files or game-day plans (for editors: yaml-language-server)',
    load: async (io, setExit) => (await import('./schema.js')).schemaCommand(io, setExit),
  },
  {
    usage: 'list',
    describe: 'list target, fault, probe and action types with their parameters',
    load: async (io, setExit) => (await import('./list.js')).listCommand(io, setExit),
  },
  {
    usage: 'journal <verb> <path>',
    describe: 'journal tools: `chaos journal verify <journal.json|run folder>` checks the hash chain and the head the ledger anchored',
    load: async (io, setExit) => (await import('./journal.js')).journalCommand(io, setExit),
  },
  {
    usage: 'report <path>',
    describe: 'render the reports of a run again from its journal',
    load: async (io, setExit) => (await import('./report.js')).reportCommand(io, setExit),
  },
  {
    usage: 'proxy <command>',
    describe: 'the embedded Toxiproxy-compatible fault proxy',
    load: async (io, setExit) => (await import('./proxy.js')).proxyCommand(io, setExit),
  },
  {
    usage: 'lab <command>',
    describe: 'keep the built-in lab running between runs (runs with a lab target of the same name use it)',
    load: async (io, setExit) => (await import('./lab.js')).labCommand(io, setExit),
  },
  {
    usage: 'gameday <plan>',
    describe: 'run a game-day plan: its experiments in order, one consolidated report, the worst exit code',
    load: async (io, setExit) => (await import('./gameday.js')).gamedayCommand(io, setExit),
  },
  {
    usage: 'schedule <plan>',
    describe: "run a plan's game days on its cron schedule (no overlap, blackouts respected), or --emit cronjob",
    load: async (io, setExit) => (await import('./schedule.js')).scheduleCommand(io, setExit),
  },
];

const EPILOGUE = `Exit codes:\n${Object.entries(exitCodeMeaning)
  .map(([code, meaning]) => `  ${code}  ${meaning}`)
  .join('\n')}`;

/** Runs the CLI and resolves to the exit code. Never calls process.exit. */
export async function main(io: CliIo): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.Ok;
  const setExit = (code: ExitCode) => {
    exitCode = code;
  };
  const parser = withGlobalOptions(yargs(io.argv))
    .scriptName('chaos')
    .version(VERSION)
    .usage('$0 <command> [options]\n\nChaos experiments with faults that are always reverted, and measured RTO/RPO.')
    .demandCommand(1, 'name a command, e.g. `chaos run experiments/process-pause.yaml`')
    .strict()
    .recommendCommands()
    .epilogue(EPILOGUE)
    .wrap(Math.min(110, 100))
    .exitProcess(false);
  for (const { usage, describe, load } of COMMANDS) parser.command(lazyCommand(usage, describe, () => load(io, setExit)));

  let usageError: string | null = null;
  let output = '';
  await parser
    .fail((message, error) => {
      // Usage errors (unknown flag, missing argument); handler errors are caught inside each command.
      usageError = message ?? (messageOf(error));
    })
    .parseAsync(io.argv, {}, (_err, _argv, text) => {
      output = text;
    })
    .catch((error: unknown) => {
      usageError ??= messageOf(error);
    });
  if (usageError !== null) {
    io.stderr.write(`${output ? `${output}\n\n` : ''}error: ${usageError}\n  hint: run \`chaos --help\`\n`);
    return ExitCode.InvalidInput;
  }
  if (output) io.stdout.write(`${output}\n`);
  return exitCode;
}

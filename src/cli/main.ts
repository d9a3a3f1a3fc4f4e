/**
 * The `chaos` command line: yargs wiring only. Each command lives in its own file, imported when the command runs
 * (see command.ts), and receives the CliIo.
 */
import yargs from 'yargs';
import { ChaosError, ExitCode, exitCodeMeaning, messageOf } from '../errors.js';
import { VERSION } from '../version.js';
import { lazyCommand, type LoadCommand } from './command.js';
import { withExamples } from './examples.js';
import type { CliIo } from './io.js';
import { withGlobalOptions } from './options.js';

/** Every command: its usage and summary (what `chaos --help` lists), and its file, imported only when it runs. */
const COMMANDS: readonly { usage: string; describe: string; load: LoadCommand }[] = [
  {
    usage: 'init [file]',
    describe: 'scaffold an experiment for your own service (asks for what the flags do not say, on a terminal)',
    load: async (io, setExit) => (await import('./init/init-command.js')).initCommand(io, setExit),
  },
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
    describe: 'revert faults left behind by runs whose runner is gone (kill -9, power loss, a lost pod); --watch keeps doing it; idempotent',
    load: async (io, setExit) => (await import('./recover.js')).recoverCommand(io, setExit),
  },
  {
    usage: 'schema',
    describe: 'print the JSON Schema of experiment files or game-day plans (for editors: yaml-language-server)',
    load: async (io, setExit) => (await import('./schema.js')).schemaCommand(io, setExit),
  },
  {
    usage: 'list [name]',
    describe: 'list target, fault, probe and action types with their parameters (all, or one plugin or type)',
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
    describe: "run a plan's game days on its cron schedule (no overlap, blackouts respected), or --emit cronjob|reconciler",
    load: async (io, setExit) => (await import('./schedule.js')).scheduleCommand(io, setExit),
  },
];

const EPILOGUE = `Exit codes:\n${Object.entries(exitCodeMeaning)
  .map(([code, meaning]) => `  ${code}  ${meaning}`)
  .join('\n')}`;

/**
 * Help wraps to the terminal, capped where lines get hard to read; through a pipe (no width known) it wraps at 80,
 * as man pages do.
 */
function helpWidth(io: CliIo): number {
  const columns = io.stdout.columns;
  return columns === undefined || columns <= 0 ? 80 : Math.max(40, Math.min(columns, 120));
}

/** Runs the CLI and resolves to the exit code. Never calls process.exit. */
export async function main(io: CliIo): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.Ok;
  const setExit = (code: ExitCode) => {
    exitCode = code;
  };
  const parser = withExamples(withGlobalOptions(yargs(io.argv)), [
    ['chaos run experiments/region-failover.yaml', 'a first drill: a region failover on the built-in lab, RTO and RPO measured'],
    ['chaos init --url http://127.0.0.1:8080/healthz --command "node server.js"', 'scaffold an experiment for your own service'],
    ['chaos list toxiproxy', 'what a plugin offers, with every parameter'],
    ['chaos completion >> ~/.bashrc', 'complete commands and flags in bash (zsh: SHELL=zsh chaos completion >> ~/.zshrc)'],
    ['chaos <command> --help', 'the options and examples of a command'],
  ])
    .scriptName('chaos')
    .version(VERSION)
    .usage('$0 <command> [options]\n\nChaos experiments with faults that are always reverted, and measured RTO/RPO.')
    .demandCommand(1, 'name a command, e.g. `chaos run experiments/process-pause.yaml`')
    .strict()
    .recommendCommands()
    .epilogue(EPILOGUE)
    .wrap(helpWidth(io))
    .exitProcess(false);
  for (const { usage, describe, load } of COMMANDS) parser.command(lazyCommand(usage, describe, () => load(io, setExit)));
  parser.completion('completion', 'print a completion script for bash or zsh (from $SHELL): chaos completion >> ~/.bashrc');

  let usageError: string | null = null;
  let refusal: ChaosError | null = null;
  let recommendation: string | undefined;
  let output = '';
  try {
    await parser
      .fail((message, error) => {
        // Usage errors (unknown flag, missing argument) and flag checks; handler errors are caught inside each command.
        // A misspelt command's "Did you mean run?" comes first; the unknown-argument error that follows names it.
        if (error === undefined && message?.startsWith('Did you mean') === true) {
          recommendation = message;
          return;
        }
        if (error instanceof ChaosError) refusal = error;
        else usageError = [message ?? messageOf(error), recommendation].filter(Boolean).join('. ');
        // yargs goes on to the command's handler when a fail function returns: `chaos run x.yaml --typo` ran the
        // experiment, then exited 2. Throwing ends the parse before any handler starts.
        throw error ?? new Error(usageError ?? 'usage error');
      })
      .parseAsync(io.argv, {}, (_err, _argv, text) => {
        output = text;
      });
  } catch (error) {
    if (refusal === null) usageError ??= messageOf(error);
  }
  if (refusal !== null) {
    // A check that says what is wrong and what to do: its hint replaces the whole help text.
    const [{ Output }, { reportError }] = await Promise.all([import('./io.js'), import('./report-error.js')]);
    return reportError(new Output(io, {}), refusal);
  }
  if (usageError !== null) {
    io.stderr.write(`${output ? `${output}\n\n` : ''}error: ${usageError}\n  hint: run \`chaos --help\`\n`);
    return ExitCode.InvalidInput;
  }
  if (output) io.stdout.write(`${output}\n`);
  return exitCode;
}

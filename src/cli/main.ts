/**
 * The `chaos` command line: yargs wiring only. Each command lives in its own file and receives the CliIo.
 */
import yargs from 'yargs';
import { ChaosError, ExitCode, exitCodeMeaning, messageOf } from '../errors.js';
import { VERSION } from '../version.js';
import { withExamples } from './examples.js';
import { Output, type CliIo } from './io.js';
import { gamedayCommand } from './gameday.js';
import { initCommand } from './init/init-command.js';
import { journalCommand } from './journal.js';
import { labCommand } from './lab.js';
import { listCommand } from './list.js';
import { planCommand } from './plan.js';
import { proxyCommand } from './proxy.js';
import { recoverCommand } from './recover.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { scheduleCommand } from './schedule.js';
import { schemaCommand } from './schema.js';
import { reportError, withGlobalOptions } from './shared.js';
import { validateCommand } from './validate.js';

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
    .command(initCommand(io, setExit))
    .command(runCommand(io, setExit))
    .command(validateCommand(io, setExit))
    .command(planCommand(io, setExit))
    .command(recoverCommand(io, setExit))
    .command(schemaCommand(io, setExit))
    .command(listCommand(io, setExit))
    .command(journalCommand(io, setExit))
    .command(reportCommand(io, setExit))
    .command(proxyCommand(io, setExit))
    .command(labCommand(io, setExit))
    .command(gamedayCommand(io, setExit))
    .command(scheduleCommand(io, setExit))
    .completion('completion', 'print a completion script for bash or zsh (from $SHELL): chaos completion >> ~/.bashrc')
    .demandCommand(1, 'name a command, e.g. `chaos run experiments/process-pause.yaml`')
    .strict()
    .recommendCommands()
    .epilogue(EPILOGUE)
    .wrap(helpWidth(io))
    .exitProcess(false);

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
    return reportError(new Output(io, {}), refusal);
  }
  if (usageError !== null) {
    io.stderr.write(`${output ? `${output}\n\n` : ''}error: ${usageError}\n  hint: run \`chaos --help\`\n`);
    return ExitCode.InvalidInput;
  }
  if (output) io.stdout.write(`${output}\n`);
  return exitCode;
}

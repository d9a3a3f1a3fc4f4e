/**
 * Options and helpers shared by the commands.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ChaosError, ExitCode, formatDiagnostic, InvalidInputError, messageOf } from '../errors.js';
import { loadExperiment } from '../experiment/load.js';
import type { LoadedExperiment } from '../experiment/types.js';
import { loadPlan, type LoadedPlan } from '../gameday/load-plan.js';
import type { Registry } from '../plugins/registry.js';
import type { StateBackend } from '../state/backend.js';
import { FileStateBackend } from '../state/file-backend.js';
import { openStateBackend, parseStateSpec } from '../state/state-spec.js';
import type { CliIo, Output } from './io.js';

export interface GlobalFlags {
  'state-dir': string;
  state?: string;
  quiet: boolean;
  json: boolean;
  verbose: boolean;
}

export function withGlobalOptions<T>(y: Argv<T>) {
  return y
    .option('state-dir', { type: 'string', default: '.chaos', describe: 'local state: the fault ledger and locks unless --state says otherwise', global: true })
    .option('state', {
      type: 'string',
      describe: 'where the ledger, locks and liveness live: file:DIR (default file:<state-dir>), kubernetes://NAMESPACE or kubernetes:// (also CHAOS_STATE)',
      global: true,
    })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'print only errors and the verdict', global: true })
    .option('json', { type: 'boolean', default: false, describe: 'print a JSON result on stdout', global: true })
    .option('verbose', { type: 'boolean', default: false, describe: 'print debug output and stack traces', global: true });
}

export function withVars<T>(y: Argv<T>) {
  return y.option('var', {
    type: 'string',
    array: true,
    default: [] as string[],
    describe: 'set vars.NAME for ${vars.NAME} (repeatable): --var name=value',
  });
}

/** Parses `--var k=v` flags; a malformed one is an input error. */
export function parseVars(values: readonly string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const item of values) {
    const eq = item.indexOf('=');
    if (eq <= 0) {
      throw new ChaosError(`--var "${item}" is not of the form name=value`, {
        code: 'E_BAD_VAR',
        exitCode: ExitCode.InvalidInput,
        hint: 'write --var rate=200',
      });
    }
    vars[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return vars;
}

export function stateDirOf(io: CliIo, flags: GlobalFlags): string {
  return resolve(io.cwd, flags['state-dir']);
}

/** The state backend of `--state`, else CHAOS_STATE, else the file backend on `--state-dir`. A bad spec: exit 2. */
export function stateOf(io: CliIo, flags: GlobalFlags): StateBackend {
  const text = flags.state ?? io.env['CHAOS_STATE'];
  if (text === undefined || text.trim() === '') return new FileStateBackend(stateDirOf(io, flags));
  return openStateBackend(parseStateSpec(text, io.cwd));
}

/** Loads an experiment for a command; from then on `out` prints its secrets as "[redacted]". */
export async function loadForCommand(io: CliIo, out: Output, registry: Registry, file: string, vars: readonly string[]): Promise<LoadedExperiment> {
  // The file keeps the name the user typed (messages show it); reading resolves it against the CLI's cwd.
  const loaded = await loadExperiment(file, {
    registry,
    vars: parseVars(vars),
    env: io.env,
    readFile: (path: string) => readFile(resolve(io.cwd, path)),
  });
  out.hideSecrets(loaded.secretValues);
  return loaded;
}

/** Loads a game-day plan and its experiments for a command; from then on `out` prints their secrets as "[redacted]". */
export async function loadPlanForCommand(io: CliIo, out: Output, registry: Registry, file: string): Promise<LoadedPlan> {
  const loaded = await loadPlan(file, { registry, env: io.env, cwd: io.cwd });
  out.hideSecrets([...loaded.sensitiveValues, ...loaded.runs.flatMap((run) => run.loaded.secretValues)]);
  return loaded;
}

/** Prints an error for people and returns its exit code. Stack traces only for bugs, and only with --verbose. */
export function reportError(out: Output, error: unknown): ExitCode {
  if (error instanceof InvalidInputError) {
    for (const d of error.diagnostics) out.error(formatDiagnostic(d));
    out.error(`${error.diagnostics.length} problem${error.diagnostics.length === 1 ? '' : 's'} found; nothing was contacted.`);
    if (out.json) out.data({ ok: false, exitCode: error.exitCode, diagnostics: error.diagnostics });
    return error.exitCode;
  }
  if (error instanceof ChaosError) {
    out.error(`error ${error.code}: ${error.message}`);
    if (error.hint) out.error(`  hint: ${error.hint}`);
    if (out.verbose && error.cause instanceof Error && error.cause.stack) out.error(error.cause.stack);
    if (out.json) out.data({ ok: false, exitCode: error.exitCode, code: error.code, message: error.message, hint: error.hint ?? null });
    return error.exitCode;
  }
  out.error(`internal error: ${messageOf(error)}`);
  if (out.verbose && error instanceof Error && error.stack) out.error(error.stack);
  else out.error('  (this is a bug in chaosdrill; run with --verbose for a stack trace and report it)');
  return ExitCode.Failed;
}

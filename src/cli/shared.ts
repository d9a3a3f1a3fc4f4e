/**
 * Loading an experiment or a game-day plan for a command, with `--var` and the secrets hidden from the output.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ChaosError, ExitCode } from '../errors.js';
import { loadExperiment } from '../experiment/load.js';
import type { LoadedExperiment } from '../experiment/types.js';
import { loadPlan, type LoadedPlan } from '../gameday/load-plan.js';
import type { Registry } from '../plugins/registry.js';
import type { CliIo, Output } from './io.js';

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

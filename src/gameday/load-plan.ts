/**
 * Loading a game-day plan: the plan file is parsed and validated with the same machinery as experiment files
 * (positions, zod diagnostics, hints), then every experiment file it names is loaded and validated too. Every
 * problem in the plan and in its experiments is thrown together as one InvalidInputError: nothing runs until all
 * of them are valid.
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import path from 'node:path';
import { ChaosError, type Diagnostic, errnoCode, ExitCode, InvalidInputError, messageOf } from '../errors.js';
import { loadExperiment } from '../experiment/load.js';
import { substituteReferences, type SecretValue } from '../experiment/substitute.js';
import type { LoadedExperiment } from '../experiment/types.js';
import { formatPath, locate, parseYaml, type PathSegment, type YamlSource } from '../experiment/yaml-source.js';
import { isPlainObject, issuePath } from '../experiment/document-path.js';
import { issuesToDiagnostics } from '../experiment/zod-diagnostics.js';
import type { Registry } from '../plugins/registry.js';
import { gamedayPlanSchema, type GamedayPlan, type PlanExperiment } from './plan-schema.js';

export interface PlannedRun {
  /** The plan's entry (vars, weight). */
  entry: PlanExperiment;
  /** The name reports use: the entry's `name`, else the experiment's. */
  name: string;
  /** The experiment file as shown to people: relative to the current directory. */
  file: string;
  loaded: LoadedExperiment;
}

export interface LoadedPlan {
  /** The plan with notify URLs and headers substituted (they may hold secrets: never print them). */
  plan: GamedayPlan;
  /** The plan file as the user named it. */
  file: string;
  runs: PlannedRun[];
  /** Values substituted into `notify` from env and secrets: redacted from anything written or printed. */
  sensitiveValues: string[];
  /** The plan file's text, for `--emit cronjob`. */
  text: string;
}

export interface LoadPlanOptions {
  registry: Registry;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** Reads and validates a plan and every experiment it names. Throws InvalidInputError with every problem found. */
export async function loadPlan(file: string, options: LoadPlanOptions): Promise<LoadedPlan> {
  const absolute = path.resolve(options.cwd, file);
  let text: string;
  try {
    text = (await fsReadFile(absolute)).toString('utf8');
  } catch (error) {
    const code = errnoCode(error);
    throw new ChaosError(`cannot read the plan file ${file}: ${code === 'ENOENT' ? 'no such file' : messageOf(error)}`, {
      code: code === 'ENOENT' ? 'E_FILE_NOT_FOUND' : 'E_FILE_UNREADABLE',
      exitCode: ExitCode.InvalidInput,
      hint: code === 'ENOENT' ? 'check the path; it is relative to the current directory' : undefined,
      cause: error,
    });
  }
  const parsed = parseYaml(text, file);
  if (!parsed.source) throw new InvalidInputError(parsed.diagnostics);
  const source = parsed.source;
  if (!isPlainObject(source.value)) {
    throw new InvalidInputError([{ code: 'E_NOT_PLAN', file, line: 1, column: 1, path: '', message: 'this is not a game-day plan',
      hint: 'a plan is a mapping with `version: 1`, `name:`, `title:` and `experiments:`' }]);
  }
  const raw = source.value;
  const diagnostics: Diagnostic[] = [];

  // Only notify is subject to substitution: it is where webhook URLs and tokens go.
  const secrets = readPlanSecrets(raw.secrets, options.env);
  const tree: Record<string, unknown> = { ...raw };
  const sensitiveValues: string[] = [];
  if (raw.notify !== undefined) {
    const scope = { env: options.env, vars: {}, secrets, targets: {}, keepSecrets: false };
    const result = substituteReferences(raw.notify, ['notify'], source, scope);
    tree.notify = result.value;
    diagnostics.push(...result.diagnostics);
    sensitiveValues.push(...substitutedValues(raw.notify, options.env, secrets));
  }

  const result = gamedayPlanSchema.safeParse(tree);
  if (!result.success) {
    // A value still holding an unresolved reference was already reported where the reference is.
    const unresolved = new Set(diagnostics.map((d) => d.path));
    const issues = result.error.issues.filter((issue) => !unresolved.has(formatPath(issuePath(issue))));
    diagnostics.push(...issuesToDiagnostics(issues, { source, tree, schema: gamedayPlanSchema }).map(aboutThePlan));
  }
  if (!result.success || diagnostics.length > 0) throw new InvalidInputError(sortByPosition(diagnostics));
  const plan = result.data;

  const runs: PlannedRun[] = [];
  const planDir = path.dirname(absolute);
  for (const [index, entry] of plan.experiments.entries()) {
    const experimentFile = path.relative(options.cwd, path.resolve(planDir, entry.path)) || entry.path;
    try {
      const loaded = await loadExperiment(experimentFile, {
        registry: options.registry,
        vars: Object.fromEntries(Object.entries(entry.vars).map(([k, v]) => [k, String(v)])),
        env: options.env,
        readFile: (p: string) => fsReadFile(path.resolve(options.cwd, p)),
      });
      runs.push({ entry, name: entry.name ?? loaded.experiment.name, file: experimentFile, loaded });
    } catch (error) {
      if (error instanceof InvalidInputError) diagnostics.push(...error.diagnostics);
      else if (error instanceof ChaosError) {
        const hint = error.code === 'E_FILE_NOT_FOUND' ? `paths are relative to the plan file's folder (${path.relative(options.cwd, planDir) || '.'})` : error.hint;
        diagnostics.push(at(source, ['experiments', index, 'path'], error.code, error.message, hint));
      }
      else throw error;
    }
  }
  const names = new Map<string, number>();
  runs.forEach((run, i) => {
    const first = names.get(run.name);
    if (first !== undefined) {
      diagnostics.push(at(source, ['experiments', plan.experiments.indexOf(run.entry)], 'E_DUPLICATE_NAME',
        `two experiments are named "${run.name}" (the first is experiments[${first}])`, 'give one of them a `name:`: reports and run folders are named after it'));
    } else names.set(run.name, i);
  });
  if (diagnostics.length > 0) throw new InvalidInputError(diagnostics);
  return { plan, file, runs, sensitiveValues, text };
}

/** The diagnostics machinery speaks of experiments and steps; here it is a plan and its notifications. */
function aboutThePlan(d: Diagnostic): Diagnostic {
  if (d.code === 'E_UNKNOWN_TYPE' && /^notify\[\d+\]\.type$/.test(d.path)) {
    return { ...d, message: d.message.replace(/unknown step type/, 'unknown notification type'), hint: 'notifications are webhook (a JSON body) or slack ({ text, blocks })' };
  }
  return { ...d, message: d.message.replace(/\bthe experiment\b/, 'the plan') };
}

function at(source: YamlSource, p: PathSegment[], code: string, message: string, hint?: string): Diagnostic {
  const pos = locate(source, p);
  return { code, file: source.file, line: pos.line, column: pos.column, path: formatPath(p), message, ...(hint === undefined ? {} : { hint }) };
}

function sortByPosition(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Plan secrets come from the environment only (`{ env: NAME }`); a malformed entry is left to the schema. */
function readPlanSecrets(declared: unknown, env: Record<string, string | undefined>): Record<string, SecretValue> {
  const secrets: Record<string, SecretValue> = {};
  if (!isPlainObject(declared)) return secrets;
  for (const [name, spec] of Object.entries(declared)) {
    if (!isPlainObject(spec) || typeof spec.env !== 'string') continue;
    const value = env[spec.env];
    secrets[name] = value === undefined || value === '' ? { missing: `environment variable ${spec.env} is not set` } : { value };
  }
  return secrets;
}

/** Every env or secret value referenced in `value`: webhook URLs and tokens, to keep out of logs and reports. */
function substitutedValues(value: unknown, env: Record<string, string | undefined>, secrets: Record<string, SecretValue>): string[] {
  const found: string[] = [];
  const walk = (node: unknown) => {
    if (typeof node === 'string') {
      for (const match of node.matchAll(/\$\{\s*(env|secrets)\.([^}\s]+)\s*\}/g)) {
        const v = match[1] === 'env' ? env[match[2]] : (secrets[match[2]] as { value?: string } | undefined)?.value;
        if (v) found.push(v);
      }
    } else if (Array.isArray(node)) node.forEach(walk);
    else if (isPlainObject(node)) Object.values(node).forEach(walk);
  };
  walk(value);
  return found;
}

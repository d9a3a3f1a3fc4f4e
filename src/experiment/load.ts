/**
 * Loading an experiment file: bytes → YAML (with positions) → `${...}` substitution → validation against the
 * schema built from the registry → checks across the file → the ResolvedExperiment. Every problem found on the way
 * is collected and thrown together as one InvalidInputError, so the user fixes the file in one pass.
 */
import { createHash } from 'node:crypto';
import { readFile as fsReadFile } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../errors.js';
import { ChaosError, errnoCode, ExitCode, InvalidInputError, messageOf } from '../errors.js';
import type { JsonObject } from '../json.js';
import type { Registry } from '../plugins/registry.js';
import { createRedactor } from './redact.js';
import { resolveExperiment } from './resolve.js';
import { buildExperimentParts } from './schema.js';
import { semanticChecks } from './semantic-checks.js';
import {
  hasTargetReferences,
  substituteReferences,
  type SecretValue,
  type SubstitutionScope,
  type VarValue,
} from './substitute.js';
import type { LoadedExperiment } from './types.js';
import { formatPath, locate, parseYaml, type PathSegment, type YamlSource } from './yaml-source.js';
import { isPlainObject, issuePath, valueAt } from './document-path.js';
import { issuesToDiagnostics } from './zod-diagnostics.js';

export interface LoadOptions {
  registry: Registry;
  /** `--var k=v`: override the file's `vars:` defaults. */
  vars?: Record<string, string>;
  /** The environment for `${env.NAME}` and `{ env: VAR }` secrets; defaults to {}. Never read from process.env here. */
  env?: Record<string, string | undefined>;
  readFile?: (path: string) => Promise<Buffer>;
}

/** Files larger than this are refused before parsing: an experiment is a page of YAML, not a data set. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** Reads and loads an experiment file. Throws InvalidInputError with every problem found. */
export async function loadExperiment(file: string, options: LoadOptions): Promise<LoadedExperiment> {
  const readFile = options.readFile ?? fsReadFile;
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = errnoCode(error);
    throw new ChaosError(`cannot read the experiment file ${file}: ${code === 'ENOENT' ? 'no such file' : messageOf(error)}`, {
      code: code === 'ENOENT' ? 'E_FILE_NOT_FOUND' : 'E_FILE_UNREADABLE',
      exitCode: ExitCode.InvalidInput,
      hint: code === 'ENOENT' ? 'check the path; it is relative to the current directory' : undefined,
      cause: error,
    });
  }
  return loadExperimentText(bytes, file, options);
}

/** Loads an experiment from its text; `file` is used in messages and to find `{ file: … }` secrets. */
export async function loadExperimentText(text: string | Buffer, file: string, options: LoadOptions): Promise<LoadedExperiment> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const decoded = decodeText(bytes, file);
  if ('diagnostic' in decoded) throw new InvalidInputError([decoded.diagnostic]);

  const parsed = parseYaml(decoded.text, file);
  if (!parsed.source) throw new InvalidInputError(parsed.diagnostics);
  const source = parsed.source;
  const notExperiment = checkIsExperiment(source);
  if (notExperiment) throw new InvalidInputError([notExperiment]);
  const raw = source.value as Record<string, unknown>;

  const registry = options.registry;
  const vars = mergeVars(raw.vars, options.vars ?? {});
  const secrets = await readSecrets(raw.secrets, file, options);
  const targets: SubstitutionScope['targets'] = {};
  if (isPlainObject(raw.targets)) {
    for (const [name, target] of Object.entries(raw.targets)) {
      const type = isPlainObject(target) ? target.type : undefined;
      const plugin = typeof type === 'string' ? registry.plugins.get(type) : undefined;
      targets[name] = plugin ? (plugin.attributes ?? []) : undefined;
    }
  }
  const scope: SubstitutionScope = { env: options.env ?? {}, vars, secrets, targets, keepSecrets: false };

  // vars and secrets are the inputs of substitution, not subject to it.
  const diagnostics: Diagnostic[] = [];
  const tree: Record<string, unknown> = {};
  const usedSecrets = new Set<string>();
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'vars' || key === 'secrets') {
      tree[key] = value;
      continue;
    }
    const result = substituteReferences(value, [key], source, scope);
    tree[key] = result.value;
    diagnostics.push(...result.diagnostics);
    result.usedSecrets.forEach((name) => usedSecrets.add(name));
  }
  const targetTemplates = isPlainObject(raw.targets)
    ? (substituteReferences(raw.targets, ['targets'], source, { ...scope, keepSecrets: true }).value as Record<string, JsonObject>)
    : {};
  diagnostics.push(...misplacedTargetReferences(tree, source));

  const parts = buildExperimentParts(registry);
  const result = parts.document.safeParse(tree);
  if (!result.success) {
    const issues = result.error.issues.filter((issue) => !isDeferredIssue(tree, issuePath(issue), issue.code));
    diagnostics.push(...issuesToDiagnostics(issues, { source, tree, schema: parts.document }));
  }
  diagnostics.push(...semanticChecks(tree, registry, source));

  if (diagnostics.length > 0) {
    // Messages quote the values they are about (`not "…"`), and a value may hold a substituted secret.
    const redact = createRedactor(Object.values(secrets).flatMap((s) => ('value' in s ? [s.value] : [])));
    throw new InvalidInputError(sortAndDedupe(diagnostics).map((d) => redact(d)));
  }

  const experiment = resolveExperiment({
    parts,
    registry,
    tree,
    targetTemplates,
    vars: Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, String(v)])),
    source,
  });
  const secretValues = [...usedSecrets].flatMap((name) => {
    const secret = secrets[name];
    return secret && 'value' in secret ? [secret.value] : [];
  });
  return {
    experiment,
    source: { path: file, sha256: createHash('sha256').update(bytes).digest('hex') },
    secretValues,
  };
}

function at11(file: string, code: string, message: string, hint?: string): Diagnostic {
  return { code, file, line: 1, column: 1, path: '', message, ...(hint === undefined ? {} : { hint }) };
}

/** Size, binary content and encoding are checked before parsing; YAML would only produce confusing errors. */
function decodeText(bytes: Buffer, file: string): { text: string } | { diagnostic: Diagnostic } {
  if (bytes.length > MAX_FILE_BYTES) {
    return {
      diagnostic: at11(file, 'E_FILE_TOO_LARGE', `the file is ${bytes.length} bytes; an experiment file may be at most ${MAX_FILE_BYTES} bytes (1 MiB)`,
        'is this the right file?'),
    };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { diagnostic: at11(file, 'E_NOT_TEXT', 'the file is not UTF-8 text', 'an experiment file is YAML text; is this the right file?') };
  }
  if (text.includes('\u0000')) {
    return { diagnostic: at11(file, 'E_NOT_TEXT', 'the file is binary (it contains NUL bytes), not YAML text', 'is this the right file?') };
  }
  if (text.trim() === '') return { diagnostic: at11(file, 'E_EMPTY_FILE', 'the file is empty', 'start with `version: 1`, a `name:` and a `method:`') };
  return { text: text.startsWith('\uFEFF') ? text.slice(1) : text };
}

function checkIsExperiment(source: YamlSource): Diagnostic | undefined {
  const value = source.value;
  if (value === null || value === undefined) {
    return at11(source.file, 'E_EMPTY_FILE', 'the file has no content (only comments or an empty document)',
      'start with `version: 1`, a `name:` and a `method:`');
  }
  if (!isPlainObject(value) || (!('version' in value) && !('method' in value))) {
    const found = Array.isArray(value) ? 'a list' : isPlainObject(value) ? `a mapping with ${Object.keys(value).slice(0, 4).map((k) => `"${k}"`).join(', ')}` : `a ${typeof value}`;
    return {
      ...at11(source.file, 'E_NOT_EXPERIMENT', 'this is not a chaosdrill experiment', 'an experiment is a mapping with `version: 1`, `name:` and `method:`'),
      expected: 'a mapping with "version" and "method"',
      found,
    };
  }
  return undefined;
}

function mergeVars(declared: unknown, overrides: Record<string, string>): Record<string, VarValue> {
  const vars: Record<string, VarValue> = {};
  if (isPlainObject(declared)) {
    for (const [key, value] of Object.entries(declared)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') vars[key] = value;
    }
  }
  return { ...vars, ...overrides };
}

/** Reads every declared secret; a secret that cannot be read is reported only where it is used. */
async function readSecrets(declared: unknown, file: string, options: LoadOptions): Promise<Record<string, SecretValue>> {
  const secrets: Record<string, SecretValue> = {};
  if (!isPlainObject(declared)) return secrets;
  const env = options.env ?? {};
  const readFile = options.readFile ?? fsReadFile;
  for (const [name, spec] of Object.entries(declared)) {
    if (!isPlainObject(spec)) continue;
    if (typeof spec.env === 'string') {
      const value = env[spec.env];
      secrets[name] = value === undefined || value === '' ? { missing: `environment variable ${spec.env} is not set` } : { value };
    } else if (typeof spec.file === 'string') {
      // Relative to the experiment file; `file` may itself be relative to a working directory readFile knows.
      const secretPath = path.isAbsolute(spec.file) ? spec.file : path.join(path.dirname(file), spec.file);
      try {
        // One trailing newline is what editors and `echo` add; it is not part of the secret.
        const value = (await readFile(secretPath)).toString('utf8').replace(/\r?\n$/, '');
        secrets[name] = value === '' ? { missing: `file ${spec.file} is empty` } : { value };
      } catch (error) {
        secrets[name] = { missing: `cannot read ${spec.file}: ${errnoCode(error) ?? String(error)}` };
      }
    } else {
      secrets[name] = { missing: 'it declares neither env nor file' };
    }
  }
  return secrets;
}

/**
 * Issues about values holding `${targets.…}` references are deferred: those values are known only once the target
 * is connected, and the engine re-parses the step's params then.
 */
function isDeferredIssue(tree: unknown, issuePath: PathSegment[], code: string): boolean {
  if (!isInStep(issuePath)) return false;
  const value = valueAt(tree, issuePath);
  if (typeof value === 'string') return hasTargetReferences(value);
  return code === 'custom' && hasTargetReferences(value);
}

function isInStep(p: PathSegment[]): boolean {
  if (p[0] === 'safety') return p[1] === 'abortWhen' && p[3] === 'probe';
  return p[0] === 'steadyState' || p[0] === 'method' || p[0] === 'rollbacks' || p[0] === 'runbook';
}

/** Target attributes exist only once targets are connected, so they can be used in steps only. */
function misplacedTargetReferences(tree: Record<string, unknown>, source: YamlSource): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const key of ['targets', 'safety', 'name', 'title', 'description', 'tags']) {
    const found = findTargetReference(key === 'safety' ? withoutGuardrailProbes(tree[key]) : tree[key], [key]);
    if (found) {
      const pos = locate(source, found);
      diagnostics.push({
        code: 'E_VALUE',
        file: source.file,
        line: pos.line,
        column: pos.column,
        path: formatPath(found),
        message: 'target attributes (${targets.…}) can only be used in steps: they are known once targets are connected',
        hint: 'use ${env.NAME} or ${vars.NAME} here',
      });
    }
  }
  return diagnostics;
}

/**
 * A guardrail's probe runs while the method runs, after targets are connected, so it may use target attributes like
 * any step; the rest of `safety` (durations, limits) is read before connecting.
 */
function withoutGuardrailProbes(safety: unknown): unknown {
  if (!isPlainObject(safety)) return safety;
  const { abortWhen, ...rest } = safety;
  if (!Array.isArray(abortWhen)) return safety;
  const stripped = abortWhen.map((g: unknown) => {
    if (!isPlainObject(g)) return g;
    const { probe: _probe, ...others } = g;
    return others;
  });
  return { ...rest, abortWhen: stripped };
}

function findTargetReference(value: unknown, at: PathSegment[]): PathSegment[] | undefined {
  if (typeof value === 'string') return hasTargetReferences(value) ? at : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findTargetReference(value[i], [...at, i]);
      if (found) return found;
    }
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const found = findTargetReference(item, [...at, key]);
      if (found) return found;
    }
  }
  return undefined;
}

function sortAndDedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics
    .filter((d) => {
      const key = `${d.code}|${d.line}|${d.column}|${d.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

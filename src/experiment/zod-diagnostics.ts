/**
 * Turns zod issues into Diagnostics people can act on: stable codes, the position of the key or value concerned,
 * what was expected and found, and a hint. Unions are resolved to the branch the user clearly meant (the one whose
 * marker key is present) so that a typo in a step never becomes a wall of "invalid union".
 */
import type { z } from 'zod';
import type { Diagnostic } from '../errors.js';
import { renamedKeyMessage } from './renamed-keys.js';
import { allowedKeys } from './schema-keys.js';
import { SECRET_SOURCES, STEP_KINDS } from './schema.js';
import { didYouMean, listNames } from './suggest.js';
import { isPlainObject, issuePath, valueAt } from './document-path.js';
import { formatPath, locate, type PathSegment, type YamlSource } from './yaml-source.js';

type Issue = z.core.$ZodIssue;

export interface IssueContext {
  source: YamlSource;
  /** The document as validated (after substitution). */
  tree: unknown;
  /** The document schema, to list the keys allowed where an unknown key was found. */
  schema: z.core.$ZodType;
}

/** Maps zod issues to diagnostics; `prefix` is the path of the value the issues are relative to. */
export function issuesToDiagnostics(issues: readonly Issue[], ctx: IssueContext, prefix: PathSegment[] = []): Diagnostic[] {
  return issues.flatMap((issue) => issueToDiagnostics(issue, ctx, [...prefix, ...issuePath(issue)]));
}

function issueToDiagnostics(issue: Issue, ctx: IssueContext, path: PathSegment[]): Diagnostic[] {
  const value = valueAt(ctx.tree, path);
  const make = (code: string, message: string, extra: Partial<Diagnostic> = {}, at: 'key' | 'value' = 'value') => {
    const pos = locate(ctx.source, path, at);
    return { code, file: ctx.source.file, line: pos.line, column: pos.column, path: formatPath(path), message, ...extra };
  };

  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownKey(ctx, path, key));

    case 'invalid_type': {
      if (value === undefined) return [missingKey(ctx, path)];
      if (isVersion(path)) return [versionDiagnostic(ctx, value)];
      const expected = typeNoun(issue.expected);
      const yamlBoolean = issue.expected === 'boolean' && typeof value === 'string' && /^(yes|no|on|off|y|n)$/i.test(value);
      return [
        make('E_TYPE', `${subject(path)} should be ${expected}, not ${describe(value)}`, {
          expected,
          found: describe(value),
          ...(yamlBoolean ? { hint: `write true or false: YAML 1.2 reads "${value}" as text` } : {}),
        }),
      ];
    }

    case 'invalid_value': {
      if (value === undefined) return [missingKey(ctx, path)];
      if (isVersion(path)) return [versionDiagnostic(ctx, value)];
      const allowed = issue.values.map((v) => JSON.stringify(v));
      const hint = typeof value === 'string' ? didYouMean(value, issue.values.map(String)) : undefined;
      return [
        make('E_VALUE', `${subject(path)} should be ${allowed.length === 1 ? allowed[0] : `one of ${allowed.join(', ')}`}, not ${describe(value)}`, {
          expected: allowed.join(' | '),
          found: describe(value),
          ...(hint ? { hint } : {}),
        }),
      ];
    }

    case 'too_small': {
      if (path.length === 1 && path[0] === 'method' && Array.isArray(value)) {
        return [
          make('E_EMPTY_METHOD', 'the method is empty: an experiment needs at least one step', {
            hint: 'add a step, e.g. `- pause: 10s` or a fault',
          }),
        ];
      }
      const min = String(issue.minimum);
      const message =
        issue.origin === 'string' && issue.minimum === 1
          ? `${subject(path)} must not be empty`
          : issue.origin === 'array'
            ? `${subject(path)} needs at least ${min} item${min === '1' ? '' : 's'}`
            : `${subject(path)} must be at least ${min}, not ${describe(value)}`;
      return [make('E_VALUE', message, { expected: `>= ${min}`, found: describe(value) })];
    }

    case 'too_big': {
      const max = String(issue.maximum);
      return [make('E_VALUE', `${subject(path)} must be at most ${max}, not ${describe(value)}`, { expected: `<= ${max}`, found: describe(value) })];
    }

    case 'invalid_format': {
      const pattern = issue.format === 'regex' && 'pattern' in issue ? String(issue.pattern) : issue.format;
      return [
        make('E_VALUE', `${subject(path)} ${describe(value)} is not valid: ${issue.message}`, {
          expected: issue.format === 'regex' ? `text matching ${pattern}` : issue.format,
          found: describe(value),
        }),
      ];
    }

    case 'custom': {
      const params = (issue.params ?? {}) as { code?: unknown; hint?: unknown };
      const code = typeof params.code === 'string' ? params.code : 'E_VALUE';
      const hint = typeof params.hint === 'string' ? params.hint : undefined;
      return [make(code, `${subject(path)}: ${issue.message}`, { found: describe(value), ...(hint ? { hint } : {}) })];
    }

    case 'invalid_union':
      return unionDiagnostics(issue, ctx, path, value);

    case 'invalid_key':
      return [make('E_VALUE', `${describe(path[path.length - 1])} is not a valid name here: ${issue.issues[0]?.message ?? issue.message}`, {}, 'key')];

    default:
      return [make('E_VALUE', `${subject(path)}: ${issue.message}`, { found: describe(value) })];
  }
}

function unionDiagnostics(issue: Extract<Issue, { code: 'invalid_union' }>, ctx: IssueContext, path: PathSegment[], value: unknown): Diagnostic[] {
  const make = (code: string, message: string, extra: Partial<Diagnostic> = {}) => {
    const pos = locate(ctx.source, path);
    return { code, file: ctx.source.file, line: pos.line, column: pos.column, path: formatPath(path), message, ...extra };
  };

  // A discriminated union on `type` (targets, faults, probes, actions) with no branch for the value.
  if ('discriminator' in issue && issue.discriminator !== undefined) {
    const options = (('options' in issue ? issue.options : []) as unknown[]).map(String);
    const what = specNoun(path);
    if (value === undefined) {
      const parent = path.slice(0, -1);
      const pos = locate(ctx.source, parent);
      return [
        {
          code: 'E_REQUIRED',
          file: ctx.source.file,
          line: pos.line,
          column: pos.column,
          path: formatPath(parent),
          message: `${what} has no "type"`,
          expected: `one of ${listNames(options)}`,
          hint: 'add `type:`; `chaos list` shows every type',
        },
      ];
    }
    return [
      make('E_UNKNOWN_TYPE', `unknown ${what} type ${describe(value)}`, {
        expected: `one of ${listNames(options)}`,
        found: describe(value),
        hint: (typeof value === 'string' ? didYouMean(value, options) : undefined) ?? '`chaos list` shows every type',
      }),
    ];
  }

  const markers = markersAt(path);
  if (markers && isPlainObject(value)) {
    const present = markers.filter((key) => key in value);
    const branch = present.length === 1 ? markers.indexOf(present[0]) : -1;
    const branchIssues = issue.errors[branch];
    if (branchIssues) return issuesToDiagnostics(branchIssues, ctx, path);
    const isStep = markers === STEP_KINDS;
    const keys = markers.map((k) => `"${k}"`).join(', ');
    const found = present.length === 0 ? 'none' : present.map((k) => `"${k}"`).join(' and ');
    return [
      make(
        isStep ? 'E_STEP_KIND' : 'E_ONE_OF',
        isStep
          ? present.length === 0
            ? `a method step needs one of ${keys}`
            : `a method step has ${found}: a step is exactly one of ${keys}`
          : `${subject(path)} needs exactly one of ${keys}, found ${found}`,
        {
          expected: `exactly one of ${keys}`,
          found,
          hint: isStep && present.length > 1 ? 'split it into one step per kind' : undefined,
        },
      ),
    ].map(dropUndefined);
  }

  // A scalar union (durations, percentages, var values): the union's own message says what is expected.
  const expected = issue.message === 'Invalid input' ? 'another type' : issue.message.replace(/^expected /, '');
  return [
    make('E_TYPE', `${subject(path)} should be ${expected}, not ${describe(value)}`, { expected, found: describe(value) }),
  ];
}

function unknownKey(ctx: IssueContext, parent: PathSegment[], key: string): Diagnostic {
  const path = [...parent, key];
  const pos = locate(ctx.source, path, 'key');
  const base = { file: ctx.source.file, line: pos.line, column: pos.column, path: formatPath(path) };
  const parentValue = valueAt(ctx.tree, parent);
  const renamed = renamedKeyMessage(parent, key, parentValue);
  if (renamed) return { code: 'E_RENAMED_KEY', ...base, message: renamed.message, hint: renamed.hint };
  if (key === 'target' && isPlainObject(parentValue) && typeof parentValue.type === 'string') {
    return {
      code: 'E_UNKNOWN_KEY',
      ...base,
      message: `${describeSpec(parent)} "${parentValue.type}" takes no target`,
      hint: 'remove `target:`',
    };
  }
  const allowed = allowedKeys(ctx.schema, parent, ctx.tree);
  const hint = allowed ? didYouMean(key, allowed) : undefined;
  return dropUndefined({
    code: 'E_UNKNOWN_KEY',
    ...base,
    message: `unknown key "${key}" in ${context(parent, ctx.tree)}`,
    expected: allowed ? listNames(allowed, 12) : undefined,
    hint: hint ?? (allowed ? `allowed keys: ${listNames(allowed, 12)}` : undefined),
  });
}

function missingKey(ctx: IssueContext, path: PathSegment[]): Diagnostic {
  const parent = path.slice(0, -1);
  const key = String(path[path.length - 1]);
  const pos = locate(ctx.source, parent);
  const parentValue = valueAt(ctx.tree, parent);
  let message = `missing required key "${key}" in ${context(parent, ctx.tree)}`;
  let hint: string | undefined = parent.length === 0 ? TOP_LEVEL_HINTS[key] : undefined;
  if (key === 'target' && isPlainObject(parentValue) && typeof parentValue.type === 'string') {
    message = `${describeSpec(parent)} "${parentValue.type}" needs a target`;
    hint = 'add `target: <name>` naming one of `targets:`';
  }
  return dropUndefined({
    code: 'E_REQUIRED',
    file: ctx.source.file,
    line: pos.line,
    column: pos.column,
    path: formatPath(path),
    message,
    expected: `a value for "${key}"`,
    hint,
  });
}

const TOP_LEVEL_HINTS: Record<string, string> = {
  version: 'add `version: 1` at the top of the file',
  name: 'add `name: my-experiment` (lowercase letters, digits, ".", "_", "-")',
  method: 'add `method:` with at least one step, e.g. `- pause: 10s`',
};

function versionDiagnostic(ctx: IssueContext, value: unknown): Diagnostic {
  const pos = locate(ctx.source, ['version']);
  return {
    code: 'E_VERSION',
    file: ctx.source.file,
    line: pos.line,
    column: pos.column,
    path: 'version',
    message: `unsupported format version ${describe(value)}: this chaosdrill reads version 1`,
    expected: '1',
    found: describe(value),
    hint: 'write `version: 1`',
  };
}

function isVersion(path: PathSegment[]): boolean {
  return path.length === 1 && path[0] === 'version';
}

/** The marker keys of the object unions, by where they appear. */
function markersAt(path: PathSegment[]): readonly string[] | undefined {
  if (path.length === 2 && path[0] === 'method' && typeof path[1] === 'number') return STEP_KINDS;
  if (path.length === 2 && path[0] === 'secrets') return SECRET_SOURCES;
  return undefined;
}

/** "a method step", `target "app"`, … for messages. */
function context(path: PathSegment[], tree: unknown): string {
  const [first, second] = path;
  if (path.length === 0) return 'the experiment';
  if (path.length === 2 && first === 'method') return 'a method step';
  if (path.length === 2 && first === 'steadyState') return 'a steadyState entry';
  if (path.length === 2 && first === 'rollbacks') return 'a rollback';
  if (path.length === 2 && first === 'targets') return `target "${String(second)}"`;
  if (path.length === 2 && first === 'secrets') return `secret "${String(second)}"`;
  const last = path[path.length - 1];
  if (last === 'fault' || last === 'probe' || last === 'action') {
    const spec = valueAt(tree, path);
    const type = isPlainObject(spec) && typeof spec.type === 'string' ? ` "${spec.type}"` : '';
    return `${last}${type}`;
  }
  return `"${formatPath(path)}"`;
}

function specNoun(path: PathSegment[]): string {
  const owner = path[path.length - 2];
  if (path[0] === 'targets') return 'target';
  return typeof owner === 'string' ? owner : 'step';
}

function describeSpec(path: PathSegment[]): string {
  const last = path[path.length - 1];
  return typeof last === 'string' ? last : 'step';
}

function subject(path: PathSegment[]): string {
  return path.length === 0 ? 'the experiment' : `"${formatPath(path)}"`;
}

function typeNoun(expected: string): string {
  switch (expected) {
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'int':
      return 'a whole number';
    case 'boolean':
      return 'true or false';
    default:
      return `a ${expected}`;
  }
}

/** How a found value is shown: `the string "x"`, `the number 5`, `a list`, `a mapping`, `null`. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (empty)';
  if (typeof value === 'string') return `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

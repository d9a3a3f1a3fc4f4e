/**
 * Tolerances, as in Chaos Toolkit: what a probe's value must be for the probe to pass.
 *
 *   200                                  exact value (a scalar, or an object/array compared deeply)
 *   { oneOf: [200, 204] }                any of these exact values
 *   { range: [200, 399] }                a number between min and max, inclusive
 *   { regex: "^ok" }                     the string form of the value matches
 *   { jsonPath: "$.status", value: "up" } the value (parsed as JSON when it is a string) has something at the path;
 *                                        with `value`, every match satisfies that tolerance
 *
 * An object with one of the operator keys (oneOf, range, regex, jsonPath) is an operator and must be written exactly
 * as above; any other object is an exact value.
 */
import { JSONPath } from 'jsonpath-plus';
import { z } from 'zod';
import { jsonValueSchema, type Json } from '../../json.js';

export type Tolerance =
  | Json
  | { oneOf: Json[] }
  | { range: [number, number] }
  | { regex: string }
  | { jsonPath: string; value?: Tolerance };

export interface ToleranceResult {
  ok: boolean;
  /** One line: what was found and, when it failed, what was expected ("503, expected 200..399"). */
  message: string;
}

const OPERATOR_KEYS = ['oneOf', 'range', 'regex', 'jsonPath'] as const;

const oneOfSchema = z.object({ oneOf: z.array(jsonValueSchema).min(1) }).strict();

const rangeSchema = z
  .object({ range: z.tuple([z.number(), z.number()]) })
  .strict()
  .refine((t) => t.range[0] <= t.range[1], { message: 'range must be [min, max] with min <= max', path: ['range'] });

const regexSchema = z
  .object({ regex: z.string() })
  .strict()
  .superRefine((t, ctx) => {
    try {
      new RegExp(t.regex);
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['regex'], message: `invalid regular expression: ${(err as Error).message}` });
    }
  });

const jsonPathSchema = z
  .object({
    jsonPath: z.string().min(1),
    get value() {
      return toleranceSchema.optional();
    },
  })
  .strict();

const exactSchema = jsonValueSchema.refine((v) => operatorKeyOf(v) === null, {
  message: 'not a tolerance',
  // Aborting lets the union report the operator branch's own issue (e.g. a bad range) instead of "invalid input".
  abort: true,
});

const OPERATOR_FORMS: Record<(typeof OPERATOR_KEYS)[number], string> = {
  oneOf: '{ oneOf: [value, ...] }',
  range: '{ range: [min, max] } with numbers',
  regex: '{ regex: "pattern" }',
  jsonPath: '{ jsonPath: "$.path", value?: tolerance }',
};

/** The zod schema of a tolerance. */
export const toleranceSchema: z.ZodType<Tolerance> = z.union(
  [oneOfSchema, rangeSchema, regexSchema, jsonPathSchema, exactSchema],
  {
    error: (issue) => {
      const key = operatorKeyOf(issue.input);
      if (key !== null) return `a \`${key}\` tolerance is written ${OPERATOR_FORMS[key]}, and nothing else`;
      return 'a tolerance is a JSON value, or one of ' + Object.values(OPERATOR_FORMS).join(', ');
    },
  },
) as z.ZodType<Tolerance>;

function operatorKeyOf(value: unknown): (typeof OPERATOR_KEYS)[number] | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  return OPERATOR_KEYS.find((k) => k in value) ?? null;
}

/** Checks a value against a tolerance. Never throws for a well-formed tolerance. */
export function checkTolerance(tolerance: Tolerance, value: unknown): ToleranceResult {
  const found = describeValue(value);
  const ok = matches(tolerance, value);
  if (ok.ok) return { ok: true, message: ok.found ?? found };
  return { ok: false, message: `${ok.found ?? found}, expected ${describeTolerance(tolerance)}` };
}

/** The tolerance in words, for messages: `200`, `one of 200, 204`, `200..399`, `matching /^ok/`. */
export function describeTolerance(tolerance: Tolerance): string {
  const t = tolerance as Record<string, unknown>;
  switch (operatorKeyOf(tolerance)) {
    case 'oneOf':
      return `one of ${(t.oneOf as Json[]).map((v) => describeValue(v)).join(', ')}`;
    case 'range': {
      const [min, max] = t.range as [number, number];
      return `${min}..${max}`;
    }
    case 'regex':
      return `a match for /${String(t.regex)}/`;
    case 'jsonPath': {
      const inner = t.value === undefined ? 'to exist' : describeTolerance(t.value as Tolerance);
      return `${String(t.jsonPath)} ${inner}`;
    }
    default:
      return describeValue(tolerance);
  }
}

interface Match {
  ok: boolean;
  /** Replaces the default description of what was found (used by jsonPath to name the path). */
  found?: string;
}

function matches(tolerance: Tolerance, value: unknown): Match {
  const t = tolerance as Record<string, unknown>;
  switch (operatorKeyOf(tolerance)) {
    case 'oneOf':
      return { ok: (t.oneOf as Json[]).some((candidate) => deepEqual(candidate, value)) };
    case 'range': {
      const [min, max] = t.range as [number, number];
      const n = toNumber(value);
      return { ok: n !== null && n >= min && n <= max };
    }
    case 'regex':
      return { ok: new RegExp(String(t.regex)).test(stringForm(value)) };
    case 'jsonPath':
      return matchJsonPath(String(t.jsonPath), t.value as Tolerance | undefined, value);
    default:
      return { ok: deepEqual(tolerance, value) };
  }
}

function matchJsonPath(path: string, inner: Tolerance | undefined, value: unknown): Match {
  let document: unknown = value;
  if (typeof value === 'string') {
    try {
      document = JSON.parse(value);
    } catch {
      return { ok: false, found: `not JSON (${describeValue(value)})` };
    }
  }
  if (document === null || typeof document !== 'object') {
    return { ok: false, found: `${path} cannot apply to ${describeValue(document)}` };
  }
  const found = JSONPath({ path, json: document as object, wrap: true }) as unknown[];
  if (found.length === 0) return { ok: false, found: `${path} matched nothing` };
  const shown = found.length === 1 ? describeValue(found[0]) : `[${found.map((v) => describeValue(v)).join(', ')}]`;
  if (inner === undefined) return { ok: true, found: `${path} is ${shown}` };
  // Every match must hold: `$.replicas[*].status: up` means all of them are up.
  return { ok: found.every((v) => matches(inner, v).ok), found: `${path} is ${shown}` };
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function stringForm(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value);
}

const MAX_SHOWN = 80;

/** A short form of a value for one-line messages. */
export function describeValue(value: unknown): string {
  const text = value === undefined ? 'nothing' : typeof value === 'number' ? String(value) : JSON.stringify(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) => Object.hasOwn(b as object, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

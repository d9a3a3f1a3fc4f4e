/**
 * Checking a value against a tolerance (see units/tolerance-schema.ts for the forms a tolerance takes).
 */
import { JSONPath } from 'jsonpath-plus';
import { isOperatorTolerance, type Tolerance } from '../../units/tolerance-schema.js';

export interface ToleranceResult {
  ok: boolean;
  /** One line: what was found and, when it failed, what was expected ("503, expected 200..399"). */
  message: string;
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
  if (!isOperatorTolerance(tolerance)) return describeValue(tolerance);
  if ('oneOf' in tolerance) return `one of ${tolerance.oneOf.map((v) => describeValue(v)).join(', ')}`;
  if ('range' in tolerance) return `${tolerance.range[0]}..${tolerance.range[1]}`;
  if ('regex' in tolerance) return `a match for /${tolerance.regex}/`;
  const inner = tolerance.value === undefined ? 'to exist' : describeTolerance(tolerance.value);
  return `${tolerance.jsonPath} ${inner}`;
}

interface Match {
  ok: boolean;
  /** Replaces the default description of what was found (used by jsonPath to name the path). */
  found?: string;
}

function matches(tolerance: Tolerance, value: unknown): Match {
  if (!isOperatorTolerance(tolerance)) return { ok: deepEqual(tolerance, value) };
  if ('oneOf' in tolerance) return { ok: tolerance.oneOf.some((candidate) => deepEqual(candidate, value)) };
  if ('range' in tolerance) {
    const [min, max] = tolerance.range;
    const n = toNumber(value);
    return { ok: n !== null && n >= min && n <= max };
  }
  if ('regex' in tolerance) return { ok: new RegExp(tolerance.regex).test(stringForm(value)) };
  return matchJsonPath(tolerance.jsonPath, tolerance.value, value);
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
  // jsonpath-plus types its result `any`; with wrap: true it is always an array of the matches.
  const found: unknown[] = JSONPath({ path, json: document, wrap: true });
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
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && deepEqual(Reflect.get(a, k), Reflect.get(b, k)));
}

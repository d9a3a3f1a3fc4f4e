/**
 * Durations in experiment files are strings with a unit ("250ms", "1.5s", "30s", "5m", "1h") and become
 * milliseconds. Bare numbers are rejected on purpose: `timeout: 30` could mean seconds or milliseconds.
 */
import ms from 'ms';
import { z } from 'zod';

const DURATION = /^(-?)(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h|d)$/;

/** The result of reading a duration: milliseconds, or a problem with a stable code. */
export type DurationResult =
  | { ok: true; ms: number }
  | { ok: false; code: 'E_DURATION' | 'E_NEGATIVE_DURATION'; message: string; hint: string };


/** Reads a duration as written in an experiment file; longer than `maxMs` is an error. */
export function parseDuration(value: string | number, maxMs = MAX_DURATION_MS): DurationResult {
  if (typeof value === 'number') {
    if (value < 0) return negative(String(value));
    return {
      ok: false,
      code: 'E_DURATION',
      message: `${value} has no unit`,
      hint: 'add a unit, e.g. 30s',
    };
  }
  const text = value.trim();
  const match = DURATION.exec(text);
  if (!match) {
    if (/^-?\d+(\.\d+)?$/.test(text)) {
      if (text.startsWith('-')) return negative(text);
      return { ok: false, code: 'E_DURATION', message: `"${text}" has no unit`, hint: 'add a unit, e.g. 30s' };
    }
    return {
      ok: false,
      code: 'E_DURATION',
      message: `"${text}" is not a duration`,
      hint: 'write a number with a unit: 250ms, 1.5s, 30s, 5m or 1h',
    };
  }
  if (match[1] === '-') return negative(text);
  const millis = ms(`${match[2]}${match[3]}` as ms.StringValue);
  if (!(millis <= maxMs)) {
    return {
      ok: false,
      code: 'E_DURATION',
      message: maxMs === MAX_DURATION_MS ? `"${text}" is longer than the longest duration chaosdrill can time (7d)` : `"${text}" is too long`,
      hint: maxMs === MAX_DURATION_MS ? 'use at most 7d; something longer is a schedule of runs (`chaos schedule`), not one run' : 'write a finite duration, e.g. 14d',
    };
  }
  return { ok: true, ms: Math.round(millis) };
}

/**
 * Node's timers hold at most 2^31 − 1 ms (24.8 days) and fire after 1 ms beyond that: a `maxDuration: 30d` aborted
 * the run at once and a fault's `duration: 30d` ended at once. The engine derives timers from durations (a revert
 * gets three times its step's timeout), so the longest duration accepted is 7 days, well inside the limit.
 */
export const MAX_DURATION_MS = 7 * 24 * 3_600_000;

function negative(text: string): DurationResult {
  return {
    ok: false,
    code: 'E_NEGATIVE_DURATION',
    message: `duration ${text} is negative`,
    hint: 'durations are zero or more, e.g. 0s or 30s',
  };
}

/**
 * A duration as zod sees it: a string with a unit in, milliseconds out. Numbers are accepted by the input type only
 * so that `timeout: 30` gets a precise "add a unit" error instead of "expected string".
 */
export const durationSchema = durationUpTo(MAX_DURATION_MS);

/**
 * A span of calendar time that is compared with dates, never timed (a game-day blackout window): no upper bound
 * but that of a finite number.
 */
export const calendarDurationSchema = durationUpTo(Number.MAX_VALUE);

function durationUpTo(maxMs: number) {
  return z
    .union([z.string(), z.number()], { error: 'expected a duration with a unit, e.g. 30s' })
    .transform((value, ctx) => {
      const result = parseDuration(value, maxMs);
      if (result.ok) return result.ms;
      ctx.addIssue({ code: 'custom', message: result.message, params: { code: result.code, hint: result.hint } });
      return z.NEVER;
    })
    .meta({ description: 'A duration with a unit: 250ms, 1.5s, 30s, 5m, 1h', examples: ['30s'] });
}

/**
 * Formats milliseconds for people, exactly when possible: 1500 → "1.5s", 300000 → "5m" (ms() alone would round
 * 1500 to "2s"), 90000 → "1.5m".
 */
export function formatDuration(millis: number): string {
  if (!Number.isFinite(millis)) return String(millis);
  const rounded = Math.round(millis);
  if (Math.abs(rounded) < 1000) return `${rounded}ms`;
  if (rounded % 3_600_000 === 0 || rounded % 60_000 === 0) return ms(rounded);
  if (Math.abs(rounded) >= 60_000 && rounded % 6_000 === 0) return `${rounded / 60_000}m`;
  return `${Number((rounded / 1000).toFixed(3))}s`;
}

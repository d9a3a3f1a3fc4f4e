/**
 * Percentages are written one way everywhere: "99%", "0.5%", "25%". They become a fraction in [0, 1]. A bare number
 * is refused with the spelling to use instead: 0.99 and 99 are both common, and guessing which was meant would turn
 * a 99 % objective into a 0.99 % one without a word.
 */
import { z } from 'zod';

export type PercentResult = { ok: true; fraction: number } | { ok: false; message: string; hint: string };

/** Reads a percentage as written in an experiment file. */
export function parsePercent(value: string | number): PercentResult {
  if (typeof value === 'number') {
    const written = value > 0 && value <= 1 ? `${trim(value * 100)}% (a fraction) or ${trim(value)}%` : `${trim(value)}%`;
    return { ok: false, message: `${value} is a bare number, not a percentage`, hint: `write it with a % sign: ${written}` };
  }
  const match = /^\s*(-?\d+(?:\.\d+)?|-?\.\d+)\s*%\s*$/.exec(value);
  if (!match) return { ok: false, message: `"${value}" is not a percentage`, hint: 'write e.g. 99% or 0.5%' };
  const fraction = Number(match[1]) / 100;
  if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) {
    return { ok: false, message: `"${value}" is outside 0%..100%`, hint: 'use a value between 0% and 100%' };
  }
  return { ok: true, fraction };
}

/** Up to 4 decimals, without trailing zeros (0.1 × 100 is 10.000000000000002). */
function trim(n: number): string {
  return String(Math.round(n * 10_000) / 10_000);
}

/** "99%" in, 0.99 out; anything else is an E_PERCENT error. */
export const percentSchema = z
  .union([z.string(), z.number()], { error: 'expected a percentage, e.g. 99%' })
  .transform((value, ctx) => {
    const result = parsePercent(value);
    if (result.ok) return result.fraction;
    ctx.addIssue({ code: 'custom', message: result.message, params: { code: 'E_PERCENT', hint: result.hint } });
    return z.NEVER;
  })
  .meta({ description: 'A percentage: "99%", "0.5%"', examples: ['99%'] });

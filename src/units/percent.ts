/**
 * Percentages are written "99%" or as a fraction (0.99) and become a fraction in [0, 1].
 */
import { z } from 'zod';

export type PercentResult = { ok: true; fraction: number } | { ok: false; message: string; hint: string };

/** Reads a percentage as written in an experiment file. */
export function parsePercent(value: string | number): PercentResult {
  let fraction: number;
  if (typeof value === 'number') {
    fraction = value;
  } else {
    const match = /^\s*(-?\d+(?:\.\d+)?|-?\.\d+)\s*%\s*$/.exec(value);
    if (!match) {
      return { ok: false, message: `"${value}" is not a percentage`, hint: 'write e.g. 99% or 0.99' };
    }
    fraction = Number(match[1]) / 100;
  }
  if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) {
    const shown = typeof value === 'number' ? String(value) : `"${value}"`;
    return {
      ok: false,
      message: `${shown} is outside 0%..100%`,
      hint: typeof value === 'number' && value > 1 ? `write ${value}% or ${value / 100} (a fraction)` : 'use a value between 0% and 100%',
    };
  }
  return { ok: true, fraction };
}

/** "99%" or 0.99 in, 0.99 out; anything outside [0, 1] is an E_PERCENT error. */
export const percentSchema = z
  .union([z.string(), z.number()], { error: 'expected a percentage, e.g. 99% or 0.99' })
  .transform((value, ctx) => {
    const result = parsePercent(value);
    if (result.ok) return result.fraction;
    ctx.addIssue({ code: 'custom', message: result.message, params: { code: 'E_PERCENT', hint: result.hint } });
    return z.NEVER;
  })
  .meta({ description: 'A percentage: "99%" or a fraction such as 0.99', examples: ['99%'] });

/**
 * Which of the matching victims a fault acts on, written the same way by every plugin that chooses: `select: one`,
 * `all`, a count (`3`) or a percentage (`"30%"`, rounded up, at least one when any match). The choice among the
 * candidates is random with a seed that is recorded, so the same seed over the same list picks the same ones.
 */
import { z } from 'zod';
import { parsePercent } from '../../units/percent.js';
import { seededShuffle } from './seeded-shuffle.js';

export type Selection = 'one' | 'all' | { count: number } | { fraction: number };

export const selectionSchema = z
  .union([z.string(), z.number()], { error: 'expected one, all, a count such as 3, or a percentage such as "30%"' })
  .transform((value, ctx): Selection => {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return { count: value };
    if (value === 'one' || value === 'all') return value;
    const percent = typeof value === 'string' ? parsePercent(value) : null;
    if (percent?.ok && percent.fraction > 0) return { fraction: percent.fraction };
    ctx.addIssue({
      code: 'custom',
      message: percent?.ok ? `"${value}" selects nothing` : `${JSON.stringify(value)} is not a selection`,
      params: { code: 'E_SELECTION', hint: 'write one, all, a count such as 3, or a percentage such as "30%"' },
    });
    return z.NEVER;
  })
  .meta({ description: 'Which of the matching ones: one | all | a count (3) | a percentage ("30%", rounded up), chosen at random with a recorded seed', examples: ['one', 'all', 3, '30%'] });

/** As written: `one`, `all`, `3`, `30%`. */
export function describeSelection(selection: Selection): string {
  if (typeof selection === 'string') return selection;
  return 'count' in selection ? String(selection.count) : `${Math.round(selection.fraction * 10_000) / 100}%`;
}

/** How many of `total` candidates the selection takes. */
export function countFor(selection: Selection, total: number): number {
  if (selection === 'all') return total;
  if (selection === 'one') return Math.min(1, total);
  if ('count' in selection) return Math.min(selection.count, total);
  return Math.min(total, Math.ceil(selection.fraction * total - 1e-9));
}

/** Picks `countFor(selection)` names, sorted first so the choice depends only on the seed and the names. */
export function selectNames(names: readonly string[], selection: Selection, seed: number): string[] {
  const shuffled = seededShuffle([...names].sort(), seed);
  return shuffled.slice(0, countFor(selection, shuffled.length)).sort();
}

/**
 * Which of the matching objects a fault acts on: mode one | all | count(n) | percent(n), chosen at random with a
 * seed that is recorded, so the same seed over the same list picks the same pods.
 */
import { randomInt } from 'node:crypto';
import { z } from 'zod';

export const selectionModeSchema = z
  .union([
    z.literal('one'),
    z.literal('all'),
    z.strictObject({ count: z.int().min(1).describe('this many, chosen at random') }),
    z.strictObject({ percent: z.number().gt(0).max(100).describe('this percentage, rounded up, chosen at random') }),
  ])
  .describe('one | all | { count: n } | { percent: n }');

export type SelectionMode = z.output<typeof selectionModeSchema>;

export function describeMode(mode: SelectionMode): string {
  if (typeof mode === 'string') return mode;
  return 'count' in mode ? `count ${mode.count}` : `${mode.percent}%`;
}

export function countFor(mode: SelectionMode, total: number): number {
  if (mode === 'all') return total;
  if (mode === 'one') return Math.min(1, total);
  if ('count' in mode) return Math.min(mode.count, total);
  return Math.min(total, Math.ceil((mode.percent / 100) * total));
}

export function newSeed(): number {
  return randomInt(0, 2 ** 31);
}

/** mulberry32: small, fast and good enough to shuffle a list reproducibly. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks `countFor(mode)` names from the list, sorted first so the choice depends only on the seed and the names. */
export function selectNames(names: readonly string[], mode: SelectionMode, seed: number): string[] {
  const sorted = [...names].sort();
  const next = random(seed);
  for (let i = sorted.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [sorted[i], sorted[j]] = [sorted[j] as string, sorted[i] as string];
  }
  return sorted.slice(0, countFor(mode, sorted.length)).sort();
}

/**
 * Which of the matching objects a fault acts on: mode one | all | count(n) | percent(n), chosen at random with a
 * seed that is recorded, so the same seed over the same list picks the same pods.
 */
import { seededShuffle } from '../shared/seeded-shuffle.js';
import type { SelectionMode } from './specs.js';

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

/** Picks `countFor(mode)` names from the list, sorted first so the choice depends only on the seed and the names. */
export function selectNames(names: readonly string[], mode: SelectionMode, seed: number): string[] {
  const shuffled = seededShuffle([...names].sort(), seed);
  return shuffled.slice(0, countFor(mode, shuffled.length)).sort();
}

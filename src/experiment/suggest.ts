/** "Did you mean …?" suggestions for misspelt keys, types and names. */
import { distance } from 'fastest-levenshtein';

/**
 * The closest candidate, when it is close enough to be a plausible typo (at most a third of the word's length
 * edited, at least 2 for words longer than 3 letters, never more than 3); otherwise undefined, because a far-fetched suggestion misleads.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  // Two edits allow a transposition ("hots" → "host"); very short words allow one, or anything would match.
  const length = Math.max(word.length, best.length);
  const limit = length <= 3 ? 1 : Math.min(3, Math.max(2, Math.floor(length / 3)));
  return bestDistance <= limit ? best : undefined;
}

/** `did you mean "x"?`, or undefined when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const match = closest(word, candidates);
  return match === undefined ? undefined : `did you mean "${match}"?`;
}

/** A short list of names for messages: `"a", "b", "c"` (or "none"). */
export function listNames(names: Iterable<string>, max = 8): string {
  const all = [...names];
  if (all.length === 0) return 'none';
  const shown = all.slice(0, max).map((n) => `"${n}"`).join(', ');
  return all.length > max ? `${shown}, … (${all.length - max} more)` : shown;
}

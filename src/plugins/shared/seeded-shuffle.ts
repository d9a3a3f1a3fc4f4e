/**
 * Random choices that a recorded seed replays: the kubernetes faults pick pods and nodes, the lab's kill-instance
 * picks instances, and the seed goes into the ledger so a choice can be repeated.
 */
import { randomInt } from 'node:crypto';

/** A fresh seed to record with the choice. */
export function newSeed(): number {
  return randomInt(0, 2 ** 31);
}

/** A Fisher–Yates shuffle driven by mulberry32 (small, fast, good enough): the same seed gives the same order. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const next = mulberry32(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

import type { Random } from '../random.js';

/** A fault's `duration` line: none (held until the end of the method) or a short one, so some reverts happen mid-run. */
export function durationLine(random: Random, indent = '    '): string {
  const ms = random.pick([null, 100, 300, 700, 1500]);
  return ms === null ? '' : `${indent}duration: ${ms}ms\n`;
}

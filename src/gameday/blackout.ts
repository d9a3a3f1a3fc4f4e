/**
 * Blackout windows: times in which no game day and no experiment may start. A recurring blackout opens at each
 * occurrence of its cron expression (in its time zone) and lasts `duration`; an absolute one is `from` ≤ t < `to`.
 * A blackout only stops things from starting: a run in progress when a window opens finishes normally.
 */
import { Cron } from 'croner';
import type { Blackout } from './plan-schema.js';

export interface ActiveBlackout {
  name: string;
  from: Date;
  to: Date;
}

/** The blackout window `at` falls in, or null. */
export function activeBlackout(blackouts: readonly Blackout[], at: Date): ActiveBlackout | null {
  for (const b of blackouts) {
    if (b.from !== undefined && b.to !== undefined) {
      const from = new Date(b.from);
      const to = new Date(b.to);
      if (from.getTime() <= at.getTime() && at.getTime() < to.getTime()) return { name: b.name, from, to };
    } else if (b.cron !== undefined && b.duration !== undefined) {
      // The first occurrence after (at − duration): when it is not after `at`, its window still covers `at`.
      const cron = new Cron(b.cron, { paused: true, timezone: b.timezone ?? 'UTC' });
      const opened = cron.nextRun(new Date(at.getTime() - b.duration));
      if (opened !== null && opened.getTime() <= at.getTime()) {
        return { name: b.name, from: opened, to: new Date(opened.getTime() + b.duration) };
      }
    }
  }
  return null;
}

/** "change freeze (2026-11-27T16:00:00.000Z → 2026-11-30T08:00:00.000Z)" */
export function describeBlackout(b: ActiveBlackout): string {
  return `${b.name} (${b.from.toISOString()} → ${b.to.toISOString()})`;
}

/**
 * The load per window for the journal and the reports: the instrument reading (sent, dropped, intended and achieved
 * rate) and the latency percentiles, timed-out requests counted at their timeout.
 */
import type { JsonObject } from '../json.js';
import { percentileMs } from './latency-histogram.js';
import { loadFigures } from './load-figures.js';
import type { LoadInstrument } from './load-instrument.js';
import type { Timeline } from './timeline.js';
import { WINDOW_NAMES, type WindowName } from '../experiment/objectives-schema.js';
import { rangesDuration, summarizeRanges, type Range } from './windows.js';

export function loadWindows(timeline: Timeline, ranges: Record<WindowName, Range[]>, instrument: LoadInstrument): JsonObject {
  const byWindow: JsonObject = {};
  for (const name of WINDOW_NAMES) {
    if (ranges[name].length === 0) continue;
    const stats = summarizeRanges(timeline, ranges[name]);
    const ms = (p: number) => {
      const v = percentileMs(stats.histogram, p);
      return v === null ? null : Math.round(v * 100) / 100;
    };
    byWindow[name] = {
      ...loadFigures(stats, rangesDuration(ranges[name]), instrument),
      availability: stats.total === 0 ? null : stats.succeeded / stats.total,
      latencyMs: { p50: ms(50), p95: ms(95), p99: ms(99), max: ms(100) },
    };
  }
  return byWindow;
}

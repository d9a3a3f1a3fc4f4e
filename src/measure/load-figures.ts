/**
 * The load over a window as an instrument reading: what was sent, what was dropped, the intended and the achieved
 * rate. SLO results carry it as evidence, and the journal keeps it per window for the reports.
 */
import type { JsonObject } from '../json.js';
import type { LoadInstrument } from './load-instrument.js';
import type { WindowStats } from './timeline.js';

export interface LoadFigures extends JsonObject {
  driver: string;
  model: string;
  latency: string;
  /** Requests sent (every outcome); for the open model, those scheduled in the window. */
  sent: number;
  dropped: number;
  /** Requests meant to be sent: counted for the open model, configured rate × length for a rate-limited closed one. */
  intended: number | null;
  intendedRate: number | null;
  achievedRate: number | null;
  /** dropped / intended; null when nothing was meant to be sent or the intent is unknown. */
  droppedShare: number | null;
  timeouts: number;
  timeoutMs: number | null;
}

const round2 = (v: number) => Math.round(v * 100) / 100;

export function loadFigures(stats: WindowStats, durationMs: number, instrument: LoadInstrument): LoadFigures {
  const seconds = durationMs / 1000;
  const intended = instrument.countsIntended
    ? stats.total + stats.dropped
    : instrument.configuredRate === null
      ? null
      : Math.round(instrument.configuredRate * seconds);
  const intendedRate = instrument.countsIntended ? (seconds > 0 ? round2(intended! / seconds) : null) : instrument.configuredRate;
  // A closed model without a schedule cannot drop; k6 reports dropped iterations without the count it intended.
  const droppedOf = instrument.countsIntended ? intended! : stats.total + stats.dropped;
  return {
    driver: instrument.driver,
    model: instrument.model,
    latency: instrument.latency,
    sent: stats.total,
    dropped: stats.dropped,
    intended,
    intendedRate,
    achievedRate: seconds > 0 ? round2(stats.total / seconds) : null,
    droppedShare: droppedOf > 0 ? stats.dropped / droppedOf : null,
    timeouts: stats.byKind.timeout,
    timeoutMs: instrument.timeoutMs,
  };
}

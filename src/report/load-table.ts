/**
 * The load as the reports show it: which model produced it (open or closed, latency corrected or not), and per
 * window what was sent and dropped, the intended against the achieved rate, availability and latency. Formats what
 * the journal's `measurements.loadByWindow` holds; computes nothing.
 */
import { formatRatio } from './format.js';
import type { JournalView } from './journal-view.js';

export const LOAD_COLUMNS = ['window', 'sent', 'dropped', 'intended req/s', 'achieved req/s', 'availability', 'timeouts', 'p50', 'p95', 'p99'] as const;

export interface LoadTable {
  /** "open model (http): latency from each request's scheduled send time". */
  model: string;
  /** A warning that figures hide stalls, for an uncorrected closed model; null otherwise. */
  caveat: string | null;
  rows: string[][];
}

interface LoadWindowView {
  driver: string;
  model: string;
  latency: string;
  sent: number;
  dropped: number;
  intendedRate: number | null;
  achievedRate: number | null;
  availability: number | null;
  timeouts: number;
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
}

const ms = (v: number | null) => (v === null ? '–' : `${Number(v.toFixed(v < 100 ? 2 : 0))} ms`);
const rate = (v: number | null) => (v === null ? '–' : Number(v.toFixed(1)).toString());

export function loadTable(view: JournalView): LoadTable | null {
  const byWindow = view.measurements?.loadByWindow as Record<string, LoadWindowView> | null | undefined;
  if (!byWindow || typeof byWindow !== 'object') return null;
  const windows = Object.entries(byWindow);
  if (windows.length === 0) return null;
  const first = windows[0][1];
  const model = first.model === 'set by the k6 script' ? `k6: the model is set by the script's executor (arrival-rate executors are open)` : `${first.model} model (${first.driver}): latency ${first.latency}`;
  const caveat =
    first.latency === 'uncorrected'
      ? 'A closed model without a rate cannot be corrected for coordinated omission: a connection stuck on a stalled request sends nothing else, so stalls are under-reported. Use `type: http` (the open model) to measure latency during faults.'
      : null;
  const rows = windows.map(([name, w]) => [
    name,
    String(w.sent),
    String(w.dropped),
    rate(w.intendedRate),
    rate(w.achievedRate),
    w.availability === null ? '–' : formatRatio(w.availability),
    String(w.timeouts),
    ms(w.latencyMs.p50),
    ms(w.latencyMs.p95),
    ms(w.latencyMs.p99),
  ]);
  return { model, caveat, rows };
}

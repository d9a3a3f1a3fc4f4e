/**
 * How reports write values: one place, so Markdown, HTML, JUnit and the runbook say the same thing the same way.
 */
import type { ActivityStatus } from '../engine/events.js';
import { formatDuration } from '../units/duration.js';
import type { Json } from '../json.js';
import type { ObjectiveResult } from '../measure/objective-result.js';
import type { JournalView } from './journal-view.js';

export { formatDuration };

/** 0.99512 → "99.51%". */
export function formatRatio(value: number): string {
  return `${Number((value * 100).toFixed(2))}%`;
}

/** A unitless value (a PromQL result): six significant digits, no trailing zeros. */
function formatPlain(value: number): string {
  return String(Number(value.toPrecision(6)));
}

/** An objective's measured value in its unit, or "not measured". */
export function formatObjectiveValue(o: Pick<ObjectiveResult, 'value' | 'unit'>): string {
  if (o.value === null) return 'not measured';
  // Latencies below a second keep two decimals (7.2 ms, not 7 ms); longer times read better as 3.042s.
  if (o.unit === 'ms') return o.value < 1000 ? `${Number(o.value.toFixed(2))}ms` : formatDuration(o.value);
  if (o.unit === 'ratio') return formatRatio(o.value);
  if (o.unit === 'value') return formatPlain(o.value);
  return `${Number(o.value.toFixed(2))} req/s`;
}

/**
 * An objective's threshold as people write it. Thresholds in the journal are `{max, maxMs}` (RTO/RPO),
 * `{atLeast}` / `{below}` (ratios or req/s), `{p, belowMs}` (latency); anything else is shown as JSON.
 */
export function formatThreshold(o: Pick<ObjectiveResult, 'threshold' | 'unit'>): string {
  const t = o.threshold;
  if (typeof t !== 'object' || t === null || Array.isArray(t)) return JSON.stringify(t);
  const num = (k: string) => (typeof t[k] === 'number' ? t[k] : null);
  const asUnit = (v: number) =>
    o.unit === 'ratio' ? formatRatio(v) : o.unit === 'ms' ? formatDuration(v) : o.unit === 'value' ? formatPlain(v) : `${v} req/s`;
  if (typeof t.max === 'string') return `≤ ${t.max}`;
  if (num('maxMs') !== null) return `≤ ${formatDuration(num('maxMs')!)}`;
  if (num('belowMs') !== null) return `p${num('p') ?? ''} < ${formatDuration(num('belowMs')!)}`;
  if (num('atLeast') !== null) return `≥ ${asUnit(num('atLeast')!)}`;
  if (num('below') !== null) return `< ${asUnit(num('below')!)}`;
  if (num('above') !== null) return `> ${asUnit(num('above')!)}`;
  return JSON.stringify(t);
}

export const STATUS_WORD: Record<JournalView['status'], string> = {
  passed: 'PASSED',
  failed: 'FAILED',
  aborted: 'ABORTED',
  'revert-failed': 'REVERT FAILED',
  'infrastructure-error': 'NOT RUN',
  'invalid-input': 'NOT RUN',
  unfinished: 'UNFINISHED',
};

/**
 * The verdict in plain language, for someone who does not read YAML: what was tested and what happened. The
 * engine's own `reason` follows it in every report.
 */
export function plainVerdict(view: JournalView): string {
  const subject = view.experiment.title;
  switch (view.status) {
    case 'passed':
      return `The system held up. We tested: “${subject}”. Every check passed and every objective was met.`;
    case 'failed':
      return `The system did not hold up. We tested: “${subject}”. At least one check or objective failed; details below.`;
    case 'aborted':
      return `The test was stopped early, and every fault was undone. We tested: “${subject}”.`;
    case 'revert-failed':
      return `Attention: a fault could not be undone, so the system may still be affected. Run \`chaos recover\` now. We tested: “${subject}”.`;
    case 'infrastructure-error':
    case 'invalid-input':
      return `The test could not start, so nothing was changed. We wanted to test: “${subject}”.`;
    case 'unfinished':
      return `The test did not finish (the runner stopped). Faults may still be active: run \`chaos recover\`. We tested: “${subject}”.`;
  }
}

export function activityMark(status: ActivityStatus): string {
  return status === 'succeeded' ? '✓' : status === 'skipped' ? '–' : '✗';
}

/** Milliseconds between two ISO times; null when either is missing. */
export function spanMs(from: string | null, to: string | null): number | null {
  if (from === null || to === null) return null;
  return Date.parse(to) - Date.parse(from);
}

/** A JSON value in one line, shortened for a table cell. */
export function oneLine(value: Json, max = 120): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const flat = (text ?? '').replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

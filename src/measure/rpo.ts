/**
 * RPO from the writer's ledger and the reader's findings (DESIGN.md §3). Lost = acknowledged but missing.
 * RPO = ack time of the newest lost write − ack time of the newest surviving write acknowledged before the oldest
 * lost one (the writer's first send when none survived before it); 0 when nothing acknowledged was lost.
 */
import { formatDuration } from '../units/duration.js';
import type { ObjectiveResult } from './objective-result.js';

export interface WriteRecord {
  id: number;
  /** Epoch ms. */
  sentAt: number;
  /** Epoch ms of the acknowledgement; null when the write was not acknowledged. */
  ackAt: number | null;
}

/** What the reader found for an acknowledged id: true present, false missing, null could not tell (an error). */
export type ReadFinding = boolean | null;

/** Ids listed in the evidence; the count is always complete. */
const MAX_LISTED_IDS = 1000;

export function measureRpo(writes: readonly WriteRecord[], reads: ReadonlyMap<number, ReadFinding>, spec: { maxMs: number; intervalMs: number }): ObjectiveResult {
  const threshold = { max: formatDuration(spec.maxMs), maxMs: spec.maxMs };
  const uncertainty = `± ${formatDuration(spec.intervalMs)} (one writer interval)`;
  const base = { name: 'rpo', kind: 'rpo', unit: 'ms' as const, threshold, uncertainty };
  const acked = writes.filter((w): w is WriteRecord & { ackAt: number } => w.ackAt !== null).sort((a, b) => a.ackAt - b.ackAt || a.id - b.id);
  const lost = acked.filter((w) => reads.get(w.id) === false);
  const unreadable = acked.filter((w) => reads.get(w.id) === null || !reads.has(w.id)).map((w) => w.id);
  const counts = { written: writes.length, acknowledged: acked.length, lost: lost.length, unreadable: unreadable.length };
  const iso = (ms: number) => new Date(ms).toISOString();
  if (acked.length === 0) {
    return { ...base, passed: false, value: null, message: 'no write was acknowledged: RPO cannot be measured', evidence: { ...counts, lostIds: [] } };
  }
  if (unreadable.length > 0) {
    return {
      ...base,
      passed: false,
      value: null,
      message: `${unreadable.length} acknowledged record(s) could not be read back: RPO unknown`,
      evidence: { ...counts, lostIds: lost.slice(0, MAX_LISTED_IDS).map((w) => w.id), unreadableIds: unreadable.slice(0, MAX_LISTED_IDS) },
    };
  }
  if (lost.length === 0) {
    return { ...base, passed: true, value: 0, message: `no acknowledged write was lost (${acked.length} checked)`, evidence: { ...counts, lostIds: [] } };
  }
  const oldestLost = lost[0];
  const newestLost = lost[lost.length - 1];
  const lostIds = new Set(lost.map((w) => w.id));
  const survivorsBefore = acked.filter((w) => w.ackAt < oldestLost.ackAt && !lostIds.has(w.id));
  const anchor = survivorsBefore[survivorsBefore.length - 1];
  // A loop, not Math.min(...spread): a spread of 100k+ arguments overflows the stack.
  const anchorAt = anchor?.ackAt ?? writes.reduce((min, w) => Math.min(min, w.sentAt), Infinity);
  const rpo = newestLost.ackAt - anchorAt;
  const passed = rpo <= spec.maxMs;
  return {
    ...base,
    passed,
    value: rpo,
    message: `RPO ${formatDuration(rpo)} ${passed ? '≤' : '>'} ${formatDuration(spec.maxMs)}: ${lost.length} of ${acked.length} acknowledged writes lost`,
    evidence: {
      ...counts,
      lostIds: lost.slice(0, MAX_LISTED_IDS).map((w) => w.id),
      newestLost: { id: newestLost.id, ackAt: iso(newestLost.ackAt) },
      oldestLost: { id: oldestLost.id, ackAt: iso(oldestLost.ackAt) },
      newestSurvivorBefore: anchor ? { id: anchor.id, ackAt: iso(anchor.ackAt) } : null,
    },
  };
}

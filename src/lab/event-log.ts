/**
 * The lab's ground truth: what really happened (an instance killed and restarted, a region unreachable, a
 * promotion, the first request served by the promoted region, the last write replicated), one JSON object per
 * line, appended synchronously so the order and times are exact. Tests compare measured RTO and RPO with it.
 */
import { appendFileSync, readFileSync } from 'node:fs';

export interface LabEvent {
  /** Epoch ms. */
  at: number;
  event: string;
  [detail: string]: unknown;
}

export class EventLog {
  constructor(readonly path: string) {}

  record(event: string, details: Record<string, unknown> = {}): LabEvent {
    const entry: LabEvent = { at: Date.now(), event, ...details };
    appendFileSync(this.path, `${JSON.stringify(entry)}\n`);
    return entry;
  }
}

/** Reads an event log; a missing file is an empty log. */
export function readEventLog(path: string): LabEvent[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LabEvent);
}

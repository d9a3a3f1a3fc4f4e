/**
 * Writes the run's events to journal.json. The journal is a subscriber like any other: if the disk fails, the
 * run still reverts (and the failure is reported).
 */
import type { Json } from '../json.js';
import type { RunSubscriber } from './events.js';
import type { JournalWriter } from './journal.js';

export function journalSubscriber(journal: JournalWriter): RunSubscriber {
  const append = (kind: string, data: unknown) => journal.append(kind, data as Json).then(() => undefined);
  return {
    name: 'journal',
    phase: (e) => append('phase', e),
    'activity:end': (e) => append('activity', e.activity),
    'fault:injected': (e) => append('fault-injected', e),
    'fault:reverted': (e) => append('fault-reverted', e),
    abort: (e) => append('abort', e),
    log: (e) => (e.level === 'debug' ? undefined : append('log', e)),
    'run:end': (e) => append('run-finished', e),
  };
}

/**
 * What of the run's events goes into journal.json, and under which kind. The engine writes them itself, through
 * the bus's recorder (not as a subscriber): every event is waited for, in order, however slow the disk.
 */
import type { Json } from '../json.js';
import type { RunEventName, RunEvents, RunRecorder } from './events.js';
import type { JournalWriter } from '../state/journal.js';

type Recorded = { [K in RunEventName]?: (event: RunEvents[K]) => [kind: string, data: unknown] | null };

const RECORDED: Recorded = {
  phase: (e) => ['phase', e],
  'activity:end': (e) => ['activity', e.activity],
  'fault:injected': (e) => ['fault-injected', e],
  'fault:reverted': (e) => ['fault-reverted', e],
  abort: (e) => ['abort', e],
  log: (e) => (e.level === 'debug' ? null : ['log', e]),
  'run:end': (e) => ['run-finished', e],
};

export function journalRecorder(journal: JournalWriter): RunRecorder {
  return {
    name: 'journal',
    async record(name, event) {
      // After the run: an inject that landed late logs from here on; the console still shows it.
      if (journal.closed) return;
      const entry = RECORDED[name]?.(event);
      if (entry) await journal.append(entry[0], entry[1] as Json);
    },
  };
}

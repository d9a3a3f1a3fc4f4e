/**
 * Checking a journal against the head its run anchored in the fault ledger. The hash chain alone shows an edited,
 * removed or reordered entry, but not entries cut off the end, nor a chain rewritten with every hash recomputed:
 * only a head recorded elsewhere does.
 */
import type { StateBackend, StoredRun } from './backend.js';
import { FileStateBackend } from './file-backend.js';
import type { JournalDocument } from './journal-format.js';

export type AnchorCheck =
  | { anchored: true; ok: true; ledger: string }
  | { anchored: true; ok: false; ledger: string; reason: string }
  | { anchored: false; reason: string };

/**
 * Compares an intact chain (its entry count and head) with the anchor in its run's ledger, looked for in the state
 * directory the journal names (`run-started`), then in `states` (the CLI's `--state`).
 */
export async function checkJournalAnchor(doc: JournalDocument, chain: { entries: number; head: string }, states: readonly StateBackend[]): Promise<AnchorCheck> {
  const started = doc.entries.find((e) => e.kind === 'run-started')?.data;
  const runId = isRecord(started) && typeof started.runId === 'string' ? started.runId : null;
  if (runId === null) return { anchored: false, reason: 'the journal has no run-started entry naming its run' };
  const recorded = isRecord(started) && typeof started.stateDir === 'string' ? [new FileStateBackend(started.stateDir)] : [];
  const backends = [...recorded, ...states].filter((b, i, all) => all.findIndex((o) => o.description === b.description) === i);
  for (const backend of backends) {
    const run: StoredRun | null = await backend.readRun(runId).catch(() => null);
    if (run === null || run.ledger.header.runId !== runId) continue;
    const where = run.location;
    const anchor = run.ledger.journal;
    if (anchor === null) return { anchored: false, reason: `the ledger ${where} holds no anchor: the run did not finish` };
    if (anchor.entries === chain.entries && anchor.head === chain.head) return { anchored: true, ok: true, ledger: where };
    const anchoredAs = `the ledger anchored ${anchor.entries} entries with head ${anchor.head}, the journal has ${chain.entries}`;
    const what =
      chain.entries < anchor.entries
        ? 'entries were cut off its end'
        : chain.entries > anchor.entries
          ? 'entries were added after the run ended'
          : `with head ${chain.head}: the chain was rewritten and its hashes recomputed`;
    return { anchored: true, ok: false, ledger: where, reason: `${anchoredAs}${chain.entries === anchor.entries ? ' ' : ': '}${what}` };
  }
  return { anchored: false, reason: `no ledger of run ${runId} in ${backends.map((b) => b.description).join(' or ')}` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checking a journal against the head its run anchored in the fault ledger. The hash chain alone shows an edited,
 * removed or reordered entry, but not entries cut off the end, nor a chain rewritten with every hash recomputed:
 * only a head recorded elsewhere does.
 */
import { join } from 'node:path';
import type { JournalDocument } from './journal-format.js';
import { ledgerPath, readLedgerRun } from './ledger.js';

export type AnchorCheck =
  | { anchored: true; ok: true; ledger: string }
  | { anchored: true; ok: false; ledger: string; reason: string }
  | { anchored: false; reason: string };

/**
 * Compares an intact chain (its entry count and head) with the anchor in its run's ledger, looked for in the state
 * directory the journal names (`run-started`), then in `stateDirs`.
 */
export async function checkJournalAnchor(doc: JournalDocument, chain: { entries: number; head: string }, stateDirs: readonly string[]): Promise<AnchorCheck> {
  const started = doc.entries.find((e) => e.kind === 'run-started')?.data;
  const runId = isRecord(started) && typeof started.runId === 'string' ? started.runId : null;
  if (runId === null) return { anchored: false, reason: 'the journal has no run-started entry naming its run' };
  const recorded = isRecord(started) && typeof started.stateDir === 'string' ? [started.stateDir] : [];
  const dirs = [...new Set([...recorded, ...stateDirs])];
  for (const dir of dirs) {
    const ledger = await readLedgerRun(dir, runId);
    if (ledger === null || ledger.header?.runId !== runId) continue;
    const where = ledgerPath(dir, runId);
    const anchor = ledger.journal;
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
  return { anchored: false, reason: `no ledger of run ${runId} in ${dirs.map((d) => join(d, 'ledger')).join(' or ')}` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

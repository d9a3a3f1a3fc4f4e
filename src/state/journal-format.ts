/**
 * The format of `journal.json`: a JSON document whose entries are hash-chained. Each entry carries
 * `hash = sha256hex(prev + canonicalJson({ seq, at, kind, data }))`, where `prev` is the previous entry's hash
 * (64 zeros for the first), so removing, reordering or editing an entry breaks the chain.
 *
 * On disk, every entry is one line, so the writer can append in place (see journal-writer.ts) and a reader can
 * recover every complete entry of a file whose last write was torn by a crash:
 *
 *     {"format":"chaosdrill.journal","version":1,"entries":[
 *     {"seq":1,…},
 *     {"seq":2,…}
 *     ]}
 */
import { createHash } from 'node:crypto';
import type { Json } from '../json.js';
import { canonicalJson } from '../os/canonical-json.js';

export const JOURNAL_FORMAT = 'chaosdrill.journal';
export const JOURNAL_VERSION = 1;
export const GENESIS_HASH = '0'.repeat(64);

/** The first line of a journal file, up to the opening bracket of its entries. */
export const JOURNAL_HEADER = `{"format":"${JOURNAL_FORMAT}","version":${JOURNAL_VERSION},"entries":[`;
/** What closes the document after the last entry. */
export const JOURNAL_CLOSER = '\n]}\n';

export interface JournalEntry {
  /** 1, 2, 3… with no gaps. */
  seq: number;
  /** ISO 8601. */
  at: string;
  kind: string;
  data: Json;
  prev: string;
  hash: string;
}

export interface JournalDocument {
  format: typeof JOURNAL_FORMAT;
  version: typeof JOURNAL_VERSION;
  entries: JournalEntry[];
  /** Set by readJournal when the file ended in an entry torn by a crash mid-write; the complete ones are kept. */
  tornTail?: true;
}

/** The hash of an entry, given its predecessor's hash. */
export function journalEntryHash(prev: string, entry: Pick<JournalEntry, 'seq' | 'at' | 'kind' | 'data'>): string {
  const body = canonicalJson({ seq: entry.seq, at: entry.at, kind: entry.kind, data: entry.data });
  return createHash('sha256').update(prev + body).digest('hex');
}

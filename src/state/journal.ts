/**
 * The run journal (DESIGN §4, §5): `journal.json`, append-only and hash-chained. The format is in
 * journal-format.ts, the writer in journal-writer.ts; here: reading a journal and checking its chain.
 */
import { readFile } from 'node:fs/promises';
import { ChaosError, errnoCode, ExitCode, messageOf } from '../errors.js';
import type { Json } from '../json.js';
import { GENESIS_HASH, JOURNAL_FORMAT, JOURNAL_VERSION, journalEntryHash, type JournalDocument, type JournalEntry } from './journal-format.js';

export { GENESIS_HASH, JOURNAL_FORMAT, JOURNAL_VERSION, journalEntryHash, type JournalDocument, type JournalEntry } from './journal-format.js';
export { JournalWriter, type JournalWriterOptions } from './journal-writer.js';

export type JournalVerification = { ok: true; entries: number; head: string } | { ok: false; seq: number | null; reason: string };

/**
 * Checks a parsed journal: its format, that seq counts 1, 2, 3…, that each `prev` is the previous hash, and that
 * each hash matches its entry. `head` (the last hash) lets a caller compare with a hash recorded elsewhere, which is
 * the only way to notice entries cut off the end.
 */
export function verifyJournal(doc: unknown): JournalVerification {
  if (!isRecord(doc) || doc.format !== JOURNAL_FORMAT) {
    return { ok: false, seq: null, reason: `not a chaosdrill journal (format is not "${JOURNAL_FORMAT}")` };
  }
  if (doc.version !== JOURNAL_VERSION) {
    return { ok: false, seq: null, reason: `unsupported journal version ${JSON.stringify(doc.version)} (expected ${JOURNAL_VERSION})` };
  }
  if (!Array.isArray(doc.entries)) return { ok: false, seq: null, reason: '"entries" is not a list' };
  let prev = GENESIS_HASH;
  for (const [index, raw] of doc.entries.entries()) {
    const expectedSeq = index + 1;
    if (!isRecord(raw)) return { ok: false, seq: expectedSeq, reason: `entry ${expectedSeq} is not an object` };
    const { seq, at, kind, data, hash } = raw;
    if (typeof seq !== 'number' || typeof at !== 'string' || typeof kind !== 'string' || typeof hash !== 'string' || !('data' in raw)) {
      return { ok: false, seq: expectedSeq, reason: `entry ${expectedSeq} lacks seq, at, kind, data or hash` };
    }
    if (seq !== expectedSeq) {
      return { ok: false, seq, reason: `entry at position ${expectedSeq} has seq ${seq}: an entry was removed or reordered` };
    }
    if (raw.prev !== prev) {
      return { ok: false, seq, reason: `entry ${seq}: prev does not match the hash of entry ${seq - 1}` };
    }
    if (journalEntryHash(prev, { seq, at, kind, data: data as Json }) !== hash) {
      return { ok: false, seq, reason: `entry ${seq}: hash does not match its content (the entry was changed)` };
    }
    prev = hash;
  }
  return { ok: true, entries: doc.entries.length, head: prev };
}

/** Reads a journal file (without verifying the chain; see verifyJournal). */
export async function readJournal(path: string): Promise<JournalDocument> {
  const unreadable = (reason: string, cause?: unknown) =>
    new ChaosError(`cannot read the journal ${path}: ${reason}`, {
      code: 'E_JOURNAL_UNREADABLE',
      exitCode: ExitCode.InvalidInput,
      hint: 'Pass the journal.json of a run (in its report folder).',
      cause,
    });
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = errnoCode(error);
    throw unreadable(code === 'ENOENT' ? 'no such file' : messageOf(error), error);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    doc = recoverTornJournal(text);
    if (doc === null) throw unreadable(`not valid JSON (${messageOf(error)})`, error);
  }
  if (!isRecord(doc) || doc.format !== JOURNAL_FORMAT || !Array.isArray(doc.entries)) {
    throw unreadable(`not a chaosdrill journal (expected "format": "${JOURNAL_FORMAT}" and a list of entries)`);
  }
  // Returned whole (format and version too), so verifyJournal checks exactly what is on disk.
  return doc as unknown as JournalDocument;
}

/**
 * A journal whose last append was torn by a crash (the process died mid-write, the disk filled up): its header line
 * and every complete entry line are kept, the torn one is dropped and the document says so. Null when the text is
 * not a journal written one entry per line.
 */
function recoverTornJournal(text: string): JournalDocument | null {
  const lines = text.split('\n');
  let header: unknown;
  try {
    header = JSON.parse(`${lines[0] ?? ''}]}`);
  } catch {
    return null;
  }
  if (!isRecord(header) || header.format !== JOURNAL_FORMAT || !Array.isArray(header.entries)) return null;
  const entries: JournalEntry[] = [];
  for (const line of lines.slice(1)) {
    if (line.startsWith(']}')) break;
    try {
      entries.push(JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line) as JournalEntry);
    } catch {
      break;
    }
  }
  return { ...(header as unknown as JournalDocument), entries, tornTail: true };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

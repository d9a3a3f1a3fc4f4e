/**
 * The run journal (DESIGN §4, §5): `journal.json`, append-only and hash-chained. Each entry carries
 * `hash = sha256hex(prev + canonicalJson({ seq, at, kind, data }))`, where `prev` is the previous entry's hash
 * (64 zeros for the first), so removing, reordering or editing an entry breaks the chain.
 *
 * Written incrementally: every append rewrites the file atomically, so a crash leaves the last complete version.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ChaosError, ExitCode } from '../errors.js';
import type { Json } from '../json.js';
import { canonicalJson } from './canonical-json.js';
import { writeFileAtomic } from './fsync.js';

export const JOURNAL_FORMAT = 'chaosdrill.journal';
export const JOURNAL_VERSION = 1;
export const GENESIS_HASH = '0'.repeat(64);

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
}

export interface JournalWriterOptions {
  /** Applied to every entry's data before it is hashed and written (secret values out). */
  redact?: (value: Json) => Json;
  now?: () => Date;
}

/** The hash of an entry, given its predecessor's hash. */
export function journalEntryHash(prev: string, entry: Pick<JournalEntry, 'seq' | 'at' | 'kind' | 'data'>): string {
  const body = canonicalJson({ seq: entry.seq, at: entry.at, kind: entry.kind, data: entry.data });
  return createHash('sha256').update(prev + body).digest('hex');
}

export class JournalWriter {
  readonly path: string;
  private readonly list: JournalEntry[] = [];
  private readonly redact: (value: Json) => Json;
  private readonly now: () => Date;
  private tail: Promise<void> = Promise.resolve();

  private constructor(path: string, options: JournalWriterOptions) {
    this.path = path;
    this.redact = options.redact ?? ((v) => v);
    this.now = options.now ?? (() => new Date());
  }

  /** Starts a new, empty journal at `path` (replacing any file there) and writes it. */
  static async create(path: string, options: JournalWriterOptions = {}): Promise<JournalWriter> {
    const writer = new JournalWriter(path, options);
    await writer.flush();
    return writer;
  }

  get entries(): readonly JournalEntry[] {
    return this.list;
  }

  /**
   * Appends an entry and resolves once the file holding it is on disk. Appends are serialized in call order;
   * a failed write does not block later ones (they rewrite the whole file anyway).
   */
  append(kind: string, data: Json): Promise<JournalEntry> {
    const done = this.tail.then(async () => {
      const prev = this.list.at(-1)?.hash ?? GENESIS_HASH;
      // Round-trip through JSON so that what is hashed is exactly what a reader will parse back (NaN → null,
      // undefined properties dropped).
      const written = JSON.parse(JSON.stringify(this.redact(data)) ?? 'null') as Json;
      const body = { seq: this.list.length + 1, at: this.now().toISOString(), kind, data: written };
      const entry: JournalEntry = { ...body, prev, hash: journalEntryHash(prev, body) };
      this.list.push(entry);
      await this.flush();
      return entry;
    });
    this.tail = done.then(
      () => undefined,
      () => undefined,
    );
    return done;
  }

  private async flush(): Promise<void> {
    const doc: JournalDocument = { format: JOURNAL_FORMAT, version: JOURNAL_VERSION, entries: this.list };
    await writeFileAtomic(this.path, `${JSON.stringify(doc, null, 2)}\n`);
  }
}

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
    const code = (error as NodeJS.ErrnoException).code;
    throw unreadable(code === 'ENOENT' ? 'no such file' : String((error as Error).message), error);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw unreadable(`not valid JSON (${(error as Error).message})`, error);
  }
  if (!isRecord(doc) || doc.format !== JOURNAL_FORMAT || !Array.isArray(doc.entries)) {
    throw unreadable(`not a chaosdrill journal (expected "format": "${JOURNAL_FORMAT}" and a list of entries)`);
  }
  // Returned whole (format and version too), so verifyJournal checks exactly what is on disk.
  return doc as unknown as JournalDocument;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

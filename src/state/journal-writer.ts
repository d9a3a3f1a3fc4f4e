/**
 * Writing `journal.json` (format: journal-format.ts) append-only: an append writes its own entry and the closing
 * bracket after it, at the end of the last entry, and fdatasyncs. Nothing written before is rewritten, so an append
 * costs the size of its entry whatever the journal's length, and a crash mid-append can tear only that entry
 * (readJournal keeps every complete one). A journal is created exclusively: an existing one is never replaced.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Json } from '../json.js';
import { fsyncDirectory } from '../os/fsync.js';
import { GENESIS_HASH, JOURNAL_CLOSER, JOURNAL_HEADER, journalEntryHash, type JournalEntry } from './journal-format.js';

export interface JournalWriterOptions {
  /** Applied to every entry's data before it is hashed and written (secret values out). */
  redact?: (value: Json) => Json;
  now?: () => Date;
}

export class JournalWriter {
  readonly path: string;
  readonly #list: JournalEntry[] = [];
  readonly #redact: (value: Json) => Json;
  readonly #now: () => Date;
  #tail: Promise<void> = Promise.resolve();
  /** Where the next entry goes: right after the last complete entry, before the closer. */
  #end = JOURNAL_HEADER.length;
  /** An append failed part-way: the file may hold its leftovers past the next append's end, to be cut off. */
  #dirty = false;
  #handle: FileHandle | null;

  private constructor(path: string, handle: FileHandle, options: JournalWriterOptions) {
    this.path = path;
    this.#handle = handle;
    this.#redact = options.redact ?? ((v) => v);
    this.#now = options.now ?? (() => new Date());
  }

  /** Creates a new, empty journal at `path`; fails with EEXIST when a file is there (a journal is never replaced). */
  static async create(path: string, options: JournalWriterOptions = {}): Promise<JournalWriter> {
    const handle = await open(path, 'wx');
    const writer = new JournalWriter(path, handle, options);
    try {
      const text = Buffer.from(JOURNAL_HEADER + JOURNAL_CLOSER);
      await handle.write(text, 0, text.length, 0);
      await handle.datasync();
      await fsyncDirectory(dirname(path));
    } catch (error) {
      await writer.close();
      throw error;
    }
    return writer;
  }

  get entries(): readonly JournalEntry[] {
    return this.#list;
  }

  /** The last entry's hash (the chain's head) and how many entries there are: what the ledger anchors. */
  get head(): { entries: number; hash: string } {
    return { entries: this.#list.length, hash: this.#list.at(-1)?.hash ?? GENESIS_HASH };
  }

  get closed(): boolean {
    return this.#handle === null;
  }

  /**
   * Appends an entry and resolves once it is on disk. Appends are serialized in call order; a failed one is not
   * part of the chain, and does not block later ones (they write over what it left).
   */
  append(kind: string, data: Json): Promise<JournalEntry> {
    const done = this.#tail.then(async () => {
      const handle = this.#handle;
      if (handle === null) throw new Error(`the journal ${this.path} is closed`);
      const prev = this.#list.at(-1)?.hash ?? GENESIS_HASH;
      // Round-trip through JSON so that what is hashed is exactly what a reader will parse back (NaN → null,
      // undefined properties dropped).
      const written = JSON.parse(JSON.stringify(this.#redact(data)) ?? 'null') as Json;
      const body = { seq: this.#list.length + 1, at: this.#now().toISOString(), kind, data: written };
      const entry: JournalEntry = { ...body, prev, hash: journalEntryHash(prev, body) };
      const line = `${this.#list.length === 0 ? '\n' : ',\n'}${JSON.stringify(entry)}`;
      const bytes = Buffer.from(line + JOURNAL_CLOSER);
      try {
        await handle.write(bytes, 0, bytes.length, this.#end);
        if (this.#dirty) await handle.truncate(this.#end + bytes.length);
        await handle.datasync();
      } catch (error) {
        this.#dirty = true;
        throw error;
      }
      this.#dirty = false;
      this.#end += Buffer.byteLength(line);
      this.#list.push(entry);
      return entry;
    });
    this.#tail = done.then(
      () => undefined,
      () => undefined,
    );
    return done;
  }

  /** Waits for pending appends and closes the file. Idempotent. */
  async close(): Promise<void> {
    await this.#tail;
    const handle = this.#handle;
    this.#handle = null;
    await handle?.close();
  }
}

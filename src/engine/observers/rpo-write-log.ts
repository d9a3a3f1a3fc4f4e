/**
 * The RPO write log: a record with a run-unique, increasing id (see #nextId) is written every `interval` and its
 * acknowledgement time kept; after the run every acknowledged record is read back. Where records go is the
 * writer's and reader's plugin's business (the `rpoStore` capability: HTTP, commands, SQL), never the engine's.
 */
import type { RpoEndpoint } from '../../experiment/objectives-schema.js';
import type { RpoObjective } from '../../experiment/types.js';
import type { ReadFinding, WriteRecord } from '../../measure/rpo.js';
import type { RpoStore, RpoStoreType } from '../../plugins/api.js';
import type { LoadedPlugins } from '../../plugins/registry.js';
import { Ticker } from './probe-sample.js';

const READ_CONCURRENCY = 8;

/** The plugin capability behind an endpoint; the schema only admits types whose plugin has one. */
function storeTypeOf(plugins: LoadedPlugins, endpoint: RpoEndpoint): RpoStoreType {
  const storeType = plugins.plugins.get(endpoint.type)?.rpoStore;
  if (!storeType) throw new Error(`no plugin writes RPO records of type "${endpoint.type}"`);
  return storeType;
}

export class RpoWriteLog {
  readonly writes: WriteRecord[] = [];
  readonly #ticker: Ticker;
  /**
   * Ids are unique per run, not 1, 2, 3…: a store that outlives runs (a lab kept up by `chaos lab up`, a real
   * database) may still hold an earlier run's record 1, and reading it back would hide a lost write. The base is
   * the start time in µs (ms × 1000): runs against a store follow one another, and a run cannot write more records
   * than µs pass, so a later run's ids never meet an earlier run's. Still below 2^53 until the year 2255.
   */
  #nextId = Date.now() * 1000 + 1;

  /** The writer's store, open from the first write to the end of writing. */
  readonly #writer: RpoStore;
  readonly #writerType: RpoStoreType;
  readonly #readerType: RpoStoreType;
  #readBackStarted = false;

  readonly #spec: RpoObjective;

  constructor(
    spec: RpoObjective,
    plugins: LoadedPlugins,
  ) {
    this.#spec = spec;
    const maxInFlight = Math.ceil(spec.timeoutMs / spec.intervalMs) + 2;
    this.#ticker = new Ticker(spec.intervalMs, maxInFlight, () => this.#write());
    this.#writerType = storeTypeOf(plugins, spec.writer);
    this.#readerType = storeTypeOf(plugins, spec.reader);
    this.#writer = this.#writerType.open(spec.writer, { timeoutMs: spec.timeoutMs, concurrency: Math.min(maxInFlight, 8) });
  }

  /**
   * Starts writing. The writer is prepared first (a SQL table is created): a writer that cannot take writes could
   * acknowledge nothing, so the run stops here (exit 5), before anything is injected, rather than report an RPO it
   * never measured.
   */
  async start(): Promise<void> {
    try {
      await this.#writer.prepare?.();
    } catch (error) {
      await this.#writer.close();
      throw error;
    }
    this.#ticker.start();
  }

  /** After a run that ended before its read-back (an error): discards the records written. Best effort. */
  async discard(): Promise<void> {
    if (this.#readBackStarted) return;
    this.#readBackStarted = true;
    await this.#discardWriter();
  }

  async stop(): Promise<void> {
    await this.#ticker.stop();
    await this.#writer.close();
  }

  async #write(): Promise<void> {
    const record: WriteRecord = { id: this.#nextId++, sentAt: Date.now(), ackAt: null };
    this.writes.push(record);
    if ((await this.#writer.write(record.id, record.sentAt)) === true) record.ackAt = Date.now();
  }

  /** Reads back every acknowledged record (an error is retried once), then discards the records. */
  async readBack(): Promise<Map<number, ReadFinding>> {
    const { reader, writer } = this.#spec;
    this.#readBackStarted = true;
    const store = this.#readerType.open(reader, { timeoutMs: this.#spec.timeoutMs, concurrency: READ_CONCURRENCY });
    try {
      return await this.#readAll(store);
    } finally {
      // The records are the run's own: discard them once read (at the writer too, when that is another store).
      await store.discard?.();
      await store.close();
      const same = this.#writerType === this.#readerType && (this.#writerType.sameStore?.(writer, reader) ?? false);
      if (!same) await this.#discardWriter();
    }
  }

  async #discardWriter(): Promise<void> {
    const store = this.#writerType.open(this.#spec.writer, { timeoutMs: Math.min(this.#spec.timeoutMs, 2_000), concurrency: 1 });
    await store.discard?.();
    await store.close();
  }

  async #readAll(store: RpoStore): Promise<Map<number, ReadFinding>> {
    const findings = new Map<number, ReadFinding>();
    const ids = this.writes.filter((w) => w.ackAt !== null).map((w) => w.id);
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const id = ids[next++];
        let found = await store.read(id);
        if (found === null) found = await store.read(id);
        findings.set(id, found);
      }
    };
    await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
    return findings;
  }
}

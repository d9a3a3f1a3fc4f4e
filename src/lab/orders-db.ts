/**
 * A region's orders database: one SQLite file (better-sqlite3 12; v13 crashes on Node 20) shared by the region's
 * instances in WAL mode, as a region's pods share one database. `seq` orders rows by insertion in this database,
 * which is what the replicator's cursor follows; `id` is the client's order id, so a retried or replicated write
 * is an upsert, never a duplicate.
 */
import Database from 'better-sqlite3';

export interface OrderRow {
  seq: number;
  id: string;
  body: string;
  /** Epoch ms when the write was committed in the region that took it. */
  createdAt: number;
  /** The region that took the write first (replicated rows keep it). */
  origin: string;
}

export class OrdersDb {
  readonly #db: Database.Database;

  constructor(path: string, options: { readonly?: boolean } = {}) {
    this.#db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    // Several processes share the file: a writer waits for another's lock instead of failing at once.
    this.#db.pragma('busy_timeout = 2000');
    if (!options.readonly) {
      this.#db.pragma('journal_mode = WAL');
      this.#db.exec(`CREATE TABLE IF NOT EXISTS orders (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        origin TEXT NOT NULL)`);
    }
  }

  /** Stores an order; a second write of the same id keeps the first (a retry is not a new order). */
  insert(id: string, body: string, origin: string, createdAt = Date.now()): OrderRow {
    this.#db.prepare('INSERT OR IGNORE INTO orders (id, body, created_at, origin) VALUES (?, ?, ?, ?)').run(id, body, createdAt, origin);
    const row = this.get(id);
    if (row === null) throw new Error(`order ${id} is not in the database right after it was inserted`);
    return row;
  }

  get(id: string): OrderRow | null {
    return this.#db.prepare<[string], OrderRow>('SELECT seq, id, body, created_at AS createdAt, origin FROM orders WHERE id = ?').get(id) ?? null;
  }

  /** Rows inserted after `seq` (and committed before `before`, epoch ms), oldest first: the replication log. */
  since(seq: number, limit: number, before = Number.MAX_SAFE_INTEGER): OrderRow[] {
    return this.#db
      .prepare<[number, number, number], OrderRow>('SELECT seq, id, body, created_at AS createdAt, origin FROM orders WHERE seq > ? AND created_at <= ? ORDER BY seq LIMIT ?')
      .all(seq, before, limit);
  }

  /** Applies replicated rows in one transaction, keeping their original commit time and origin. */
  apply(rows: readonly OrderRow[]): number {
    const insert = this.#db.prepare('INSERT OR IGNORE INTO orders (id, body, created_at, origin) VALUES (?, ?, ?, ?)');
    let applied = 0;
    this.#db.transaction(() => {
      for (const r of rows) applied += insert.run(r.id, r.body, r.createdAt, r.origin).changes;
    })();
    return applied;
  }

  count(): number {
    return this.#db.prepare<[], { n: number }>('SELECT count(*) AS n FROM orders').get()?.n ?? 0;
  }

  /** The newest row, or null when empty. */
  newest(): OrderRow | null {
    return this.#db.prepare<[], OrderRow>('SELECT seq, id, body, created_at AS createdAt, origin FROM orders ORDER BY seq DESC LIMIT 1').get() ?? null;
  }

  /** An online, consistent copy (SQLite's backup API) while instances keep writing. */
  async backup(to: string): Promise<void> {
    await this.#db.backup(to);
  }

  /** Deletes every order (lab data only; `lab.destroy-data`). */
  clear(): number {
    return this.#db.prepare('DELETE FROM orders').run().changes;
  }

  /** Replaces the contents with a backup's, in one transaction, so readers never see a half-restored table. */
  restoreFrom(backupPath: string): number {
    this.#db.prepare('ATTACH DATABASE ? AS backup').run(backupPath);
    try {
      let restored = 0;
      this.#db.transaction(() => {
        this.#db.prepare('DELETE FROM orders').run();
        restored = this.#db
          .prepare('INSERT INTO orders (seq, id, body, created_at, origin) SELECT seq, id, body, created_at, origin FROM backup.orders')
          .run().changes;
      })();
      return restored;
    } finally {
      this.#db.prepare('DETACH DATABASE backup').run();
    }
  }

  close(): void {
    this.#db.close();
  }
}

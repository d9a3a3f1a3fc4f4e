/**
 * The RPO writer and reader over SQL: a ledger table (default `chaos_rpo_ledger`) the run creates before the method
 * and drops at the end, after reading back. A write INSERTs the record's id and send time and is acknowledged when
 * its COMMIT returns; a read SELECTs by id: present, missing, or (on an error) unknown. The reader may point at
 * another server than the writer: after a failover, the promoted standby.
 */
import pg from 'pg';

export interface SqlLedgerEndpoint {
  type: 'postgres';
  url: string;
  table: string;
}

export class PostgresWriteLog {
  readonly #pool: pg.Pool;
  readonly #table: string;

  constructor(endpoint: SqlLedgerEndpoint, timeoutMs: number, maxConnections: number) {
    this.#pool = new pg.Pool({
      connectionString: endpoint.url,
      max: maxConnections,
      connectionTimeoutMillis: timeoutMs,
      // A statement a dead server never answers must not hold a write past its timeout.
      query_timeout: timeoutMs,
      application_name: 'chaosdrill-rpo',
    });
    // An idle connection whose server went away (a killed primary) errors here; the next query gets a new one.
    this.#pool.on('error', () => undefined);
    this.#table = endpoint.table
      .split('.')
      .map((part) => `"${part.replaceAll('"', '""')}"`)
      .join('.');
  }

  /** Creates the ledger table if it is not there; throws when the server cannot be reached. */
  async create(): Promise<void> {
    await this.#pool.query(`CREATE TABLE IF NOT EXISTS ${this.#table} (id bigint PRIMARY KEY, sent_at timestamptz NOT NULL)`);
  }

  /** true: committed; null: no acknowledgement (error or timeout). */
  async write(id: number, sentAt: number): Promise<boolean | null> {
    try {
      await this.#pool.query(`INSERT INTO ${this.#table} (id, sent_at) VALUES ($1, $2)`, [id, new Date(sentAt)]);
      return true;
    } catch {
      return null;
    }
  }

  /** true: present; false: missing (the table answered without it); null: could not tell. */
  async read(id: number): Promise<boolean | null> {
    try {
      const { rows } = await this.#pool.query(`SELECT 1 FROM ${this.#table} WHERE id = $1`, [id]);
      return rows.length > 0;
    } catch (error) {
      // A table that is gone holds none of the records: they are all missing, not unknown.
      return (error as { code?: string }).code === '42P01' ? false : null;
    }
  }

  /** Drops the ledger table; best effort (a standby is read-only, a killed server does not answer). */
  async drop(): Promise<void> {
    await this.#pool.query(`DROP TABLE IF EXISTS ${this.#table}`).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.#pool.end().catch(() => undefined);
  }
}

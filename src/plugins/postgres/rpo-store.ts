/**
 * The RPO writer and reader over SQL: a table (default `chaos_rpo_ledger`) the run creates before the method and
 * drops at the end, after reading back. A write INSERTs the record's id and send time and is acknowledged when its
 * COMMIT returns; a read SELECTs by id: present, missing, or (on an error) unknown. The reader may point at another
 * server than the writer: after a failover, the promoted standby.
 */
import pg from 'pg';
import { ChaosError, errnoCode, ExitCode, messageOf } from '../../errors.js';
import { defineRpoStore, type EndpointOf, type RpoStore, type RpoStoreOptions } from '../api.js';
import { postgresRpoStoreSpec } from './specs.js';

type SqlRpoEndpoint = EndpointOf<typeof postgresRpoStoreSpec>;

export const postgresRpoStore = defineRpoStore({
  ...postgresRpoStoreSpec,
  open: (endpoint, options) => new PostgresRpoStore(endpoint, options),
  sameStore: (a, b) => a.url === b.url && a.table === b.table,
});

export class PostgresRpoStore implements RpoStore {
  readonly #pool: pg.Pool;
  readonly #table: string;

  readonly #endpoint: SqlRpoEndpoint;

  constructor(endpoint: SqlRpoEndpoint, options: RpoStoreOptions) {
    this.#endpoint = endpoint;
    this.#pool = new pg.Pool({
      connectionString: endpoint.url,
      max: options.concurrency,
      connectionTimeoutMillis: options.timeoutMs,
      // A statement a dead server never answers must not hold a write past its timeout.
      query_timeout: options.timeoutMs,
      application_name: 'chaosdrill-rpo',
    });
    // An idle connection whose server went away (a killed primary) errors here; the next query gets a new one.
    this.#pool.on('error', () => undefined);
    this.#table = endpoint.table
      .split('.')
      .map((part) => `"${part.replaceAll('"', '""')}"`)
      .join('.');
  }

  /** Creates the table if it is not there; a server that cannot be reached, or refuses, stops the run (exit 5). */
  async prepare(): Promise<void> {
    try {
      await this.#pool.query(`CREATE TABLE IF NOT EXISTS ${this.#table} (id bigint PRIMARY KEY, sent_at timestamptz NOT NULL)`);
    } catch (error) {
      throw new ChaosError(`the RPO writer cannot create its table ${this.#endpoint.table}: ${messageOf(error)}`, {
        code: 'E_RPO_LEDGER',
        exitCode: ExitCode.Infrastructure,
        hint: 'check objectives.rpo.writer.url: the server must answer and the user may create tables',
      });
    }
  }

  async write(id: number, sentAt: number): Promise<boolean | null> {
    try {
      await this.#pool.query(`INSERT INTO ${this.#table} (id, sent_at) VALUES ($1, $2)`, [id, new Date(sentAt)]);
      return true;
    } catch {
      return null;
    }
  }

  async read(id: number): Promise<boolean | null> {
    try {
      const { rows } = await this.#pool.query(`SELECT 1 FROM ${this.#table} WHERE id = $1`, [id]);
      return rows.length > 0;
    } catch (error) {
      // A table that is gone holds none of the records: they are all missing, not unknown.
      return errnoCode(error) === '42P01' ? false : null;
    }
  }

  /** Drops the table; best effort (a standby is read-only, a killed server does not answer). */
  async discard(): Promise<void> {
    await this.#pool.query(`DROP TABLE IF EXISTS ${this.#table}`).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.#pool.end().catch(() => undefined);
  }
}

/**
 * The RPO writer and reader: a record with a run-unique, increasing id (see #nextId) is written every `interval`
 * and its acknowledgement time kept; after the run every acknowledged record is read back. Over HTTP (2xx =
 * acknowledged / present, 404 = missing) or as commands (`{id}` in the argv; exit 0 = acknowledged / present,
 * any other exit = missing), or over SQL (rpo-postgres.ts).
 */
import type { RpoObjective } from '../../experiment/types.js';
import type { RpoEndpoint } from '../../experiment/objectives-schema.js';
import type { ReadFinding, WriteRecord } from '../../measure/rpo.js';
import { runCommand } from '../../plugins/command/run-command.js';
import type { CommandParams } from '../../plugins/command/params.js';
import { ChaosError, ExitCode, messageOf } from '../../errors.js';
import { Ticker } from './probe-sample.js';
import { PostgresWriteLog } from './rpo-postgres.js';
// fetch goes through undici 7's pool, not Node's bundled one (see there).
import '../../os/fetch-dispatcher.js';

const READ_CONCURRENCY = 8;

/** Result of one call: true ok, false a definite "no" (404 / non-zero exit), null an error (could not tell). */
async function call(endpoint: Exclude<RpoEndpoint, { type: 'postgres' }>, id: number, timeoutMs: number, isWrite: boolean): Promise<boolean | null> {
  const fill = (text: string) => text.replaceAll('{id}', String(id));
  const signal = AbortSignal.timeout(timeoutMs);
  if (endpoint.type === 'http') {
    const body = endpoint.body !== undefined ? fill(endpoint.body) : isWrite ? JSON.stringify({ id }) : undefined;
    const headers = { ...(isWrite && endpoint.body === undefined ? { 'content-type': 'application/json' } : {}), ...endpoint.headers };
    try {
      const res = await fetch(fill(endpoint.url), { method: endpoint.method, headers, body, signal });
      await res.arrayBuffer();
      if (res.status >= 200 && res.status < 300) return true;
      return !isWrite && res.status === 404 ? false : null;
    } catch {
      return null;
    }
  }
  const params = { run: endpoint.run.map(fill), shell: false, cwd: endpoint.cwd, env: endpoint.env, timeout: timeoutMs } as CommandParams;
  const result = await runCommand(params, signal);
  if (result.failure !== null) return null;
  return result.exitCode === 0;
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

  /** The SQL writer's table, and its creation (which every write waits for). */
  readonly #sqlWriter: PostgresWriteLog | null;
  #readBackStarted = false;

  constructor(private readonly spec: RpoObjective) {
    const maxInFlight = Math.ceil(spec.timeoutMs / spec.intervalMs) + 2;
    this.#ticker = new Ticker(spec.intervalMs, maxInFlight, () => this.#write());
    this.#sqlWriter = spec.writer.type === 'postgres' ? new PostgresWriteLog(spec.writer, spec.timeoutMs, Math.min(maxInFlight, 8)) : null;
  }

  /**
   * Starts writing. The SQL table is created first: a writer that cannot create it could acknowledge nothing,
   * so the run stops here (exit 5), before anything is injected, rather than report an RPO it never measured.
   */
  async start(): Promise<void> {
    if (this.#sqlWriter) {
      try {
        await this.#sqlWriter.create();
      } catch (error) {
        await this.#sqlWriter.close();
        const table = this.spec.writer.type === 'postgres' ? this.spec.writer.table : '';
        const why = messageOf(error);
        throw new ChaosError(`the RPO writer cannot create its table ${table}: ${why}`, {
          code: 'E_RPO_LEDGER',
          exitCode: ExitCode.Infrastructure,
          hint: 'check objectives.rpo.writer.url: the server must answer and the user may create tables',
        });
      }
    }
    this.#ticker.start();
  }

  /** After a run that ended before its read-back (an error): drops the SQL ledger table it created. Best effort. */
  async discard(): Promise<void> {
    if (this.#readBackStarted || this.spec.writer.type !== 'postgres') return;
    this.#readBackStarted = true;
    const writer = new PostgresWriteLog(this.spec.writer, Math.min(this.spec.timeoutMs, 2_000), 1);
    await writer.drop();
    await writer.close();
  }

  async stop(): Promise<void> {
    await this.#ticker.stop();
    await this.#sqlWriter?.close();
  }

  async #write(): Promise<void> {
    const record: WriteRecord = { id: this.#nextId++, sentAt: Date.now(), ackAt: null };
    this.writes.push(record);
    const { writer } = this.spec;
    const acked =
      writer.type === 'postgres'
        ? (await this.#sqlWriter!.write(record.id, record.sentAt)) === true
        : (await call(writer, record.id, this.spec.timeoutMs, true)) === true;
    if (acked) record.ackAt = Date.now();
  }

  /** Reads one record: true present, false missing, null could not tell. */
  #read(id: number, sqlReader: PostgresWriteLog | null): Promise<boolean | null> {
    const { reader } = this.spec;
    return reader.type === 'postgres' ? sqlReader!.read(id) : call(reader, id, this.spec.timeoutMs, false);
  }

  /** Reads back every acknowledged record (an error is retried once). */
  async readBack(): Promise<Map<number, ReadFinding>> {
    const { reader, writer } = this.spec;
    this.#readBackStarted = true;
    const sqlReader = reader.type === 'postgres' ? new PostgresWriteLog(reader, this.spec.timeoutMs, READ_CONCURRENCY) : null;
    try {
      return await this.#readAll(sqlReader);
    } finally {
      // The ledger table is the run's own: drop it once read (on the writer's server too, when that differs).
      await sqlReader?.drop();
      await sqlReader?.close();
      if (writer.type === 'postgres' && (reader.type !== 'postgres' || reader.url !== writer.url)) {
        const sqlWriter = new PostgresWriteLog(writer, Math.min(this.spec.timeoutMs, 2_000), 1);
        await sqlWriter.drop();
        await sqlWriter.close();
      }
    }
  }

  async #readAll(sqlReader: PostgresWriteLog | null): Promise<Map<number, ReadFinding>> {
    const findings = new Map<number, ReadFinding>();
    const ids = this.writes.filter((w) => w.ackAt !== null).map((w) => w.id);
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        let found = await this.#read(id, sqlReader);
        if (found === null) found = await this.#read(id, sqlReader);
        findings.set(id, found);
      }
    };
    await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
    return findings;
  }
}

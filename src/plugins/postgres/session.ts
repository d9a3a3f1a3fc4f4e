/**
 * A connected postgres target: its address, the server user for local server programs, and the backups this run
 * took on it (the destructive faults restore from the newest one; `postgres.corrupt-backup` swaps in a damaged copy).
 * Each activity opens its own short-lived connection: a fault may kill the server or cut every session.
 */
import { resolve } from 'node:path';
import pg from 'pg';
import { ChaosError, ExitCode, messageOf } from '../../errors.js';
import type { Connection, ConnectPurpose, PluginContext } from '../api.js';
import type { BackupMeta } from './backup-meta.js';
import type { PostgresConfig } from './config.js';
import { clientConfig, parsePgUrl, redactUrl, type PgAddress } from './connection-url.js';
import type { ClusterPrograms } from '../../os/postgres/local-cluster.js';
import { serverUser } from '../../os/postgres/os-user.js';

/** Types whose faults destroy data: refused unless the target says `allowDestructive: true`. */
export const DESTRUCTIVE_FAULTS = ['postgres.drop-table', 'postgres.truncate', 'postgres.delete-rows'] as const;

/** bigint (count(*), sums) as a JS number when it fits, so tolerances compare numbers. */
function parseInt8(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

export class PostgresSession {
  readonly address: PgAddress;
  /** Backups taken by this run on this target, oldest first; the last one is "the backup". */
  readonly backups: BackupMeta[] = [];

  constructor(
    readonly targetName: string,
    readonly config: PostgresConfig,
    readonly purpose: ConnectPurpose,
    /** Where backups go when an action gives no `dir`: the run folder. */
    readonly workDir: string,
  ) {
    this.address = parsePgUrl(config.url);
  }

  /** The URL with its password hidden. */
  get shownUrl(): string {
    return redactUrl(this.config.url);
  }

  /** The programs (and OS user) for the local cluster's server programs. */
  programs(): ClusterPrograms {
    return { binDir: this.config.binDir, pgCtl: this.config.pgCtl, user: serverUser(this.config.osUser) };
  }

  /** Runs `work` on a fresh connection (to `database`, default the URL's), closed afterwards whatever happens. */
  async withClient<T>(work: (client: pg.Client) => Promise<T>, database?: string, timeoutMs = 10_000): Promise<T> {
    const client = new pg.Client({
      ...clientConfig(this.address, database),
      connectionTimeoutMillis: timeoutMs,
      types: { getTypeParser: (oid: number, format?: string) => (oid === 20 ? parseInt8 : pg.types.getTypeParser(oid, format as 'text')) },
    });
    // A server that goes away mid-session emits 'error' on the client; the query itself rejects with it.
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, values: unknown[] = [], database?: string): Promise<R[]> {
    return this.withClient(async (c) => (await c.query<R>(sql, values)).rows, database);
  }

  /** The backup the destructive faults and `postgres.restore`/`verify` use by default. */
  latestBackup(kind?: BackupMeta['kind']): BackupMeta | null {
    const found = [...this.backups].reverse().find((b) => kind === undefined || b.kind === kind);
    return found ?? null;
  }

  requireLatestBackup(what: string, kind?: BackupMeta['kind']): BackupMeta {
    const backup = this.latestBackup(kind);
    if (backup === null) {
      throw new ChaosError(`${what} on target ${this.targetName} needs a ${kind ?? ''}${kind ? ' ' : ''}backup taken earlier in this run, and there is none`, {
        code: 'E_PG_NO_BACKUP',
        exitCode: ExitCode.InvalidInput,
        hint: `add a \`postgres.backup\` action on target ${this.targetName} earlier in the method${kind === 'logical' ? ' (kind: logical)' : ''}`,
      });
    }
    return backup;
  }

  requireDestructiveAllowed(type: string): void {
    if (!this.config.allowDestructive) {
      throw new ChaosError(`${type} destroys data, and target ${this.targetName} does not allow it`, {
        code: 'E_PG_NOT_DESTRUCTIVE',
        exitCode: ExitCode.InvalidInput,
        hint: `set \`allowDestructive: true\` on target ${this.targetName} (only for a database you can restore)`,
      });
    }
  }

  requireDataDir(type: string): string {
    if (this.config.dataDir === undefined) {
      throw new ChaosError(`${type} needs the local cluster's data directory, and target ${this.targetName} has no \`dataDir\``, {
        code: 'E_PG_NO_DATA_DIR',
        exitCode: ExitCode.InvalidInput,
        hint: 'set `dataDir` (and `osUser` when chaosdrill runs as root) on the target',
      });
    }
    // Absolute: pg_ctl runs from / (the server user may not read the runner's cwd).
    return resolve(this.config.dataDir);
  }
}

/**
 * Connects a postgres target. Under `run` it checks the server answers and publishes host, port, database,
 * serverVersion and isPrimary; under `plan` and `recover` it contacts nothing.
 */
export async function connectPostgres(config: PostgresConfig, ctx: PluginContext): Promise<Connection<PostgresSession>> {
  const session = new PostgresSession(ctx.targetName, config, ctx.purpose, ctx.workDir);
  const { host, port, database } = session.address;
  if (ctx.purpose !== 'run') return { session, attributes: { host, port, database } };
  const destructive = (ctx.uses ?? []).filter((t) => (DESTRUCTIVE_FAULTS as readonly string[]).includes(t));
  if (destructive.length > 0) session.requireDestructiveAllowed(destructive.join(', '));
  let row: { version: string; in_recovery: boolean };
  try {
    [row] = (await session.query<{ version: string; in_recovery: boolean }>(
      "SELECT current_setting('server_version') AS version, pg_is_in_recovery() AS in_recovery",
    )) as [{ version: string; in_recovery: boolean }];
  } catch (error) {
    throw new ChaosError(`target ${ctx.targetName}: PostgreSQL at ${session.shownUrl} does not answer: ${messageOf(error)}`, {
      code: 'E_TARGET_UNREACHABLE',
      exitCode: ExitCode.Infrastructure,
      hint: 'start the server (`chaos lab postgres up` starts a local one) and check the url',
      cause: error,
    });
  }
  return {
    session,
    attributes: { host, port, database, serverVersion: row.version, isPrimary: row.in_recovery ? 'false' : 'true' },
  };
}

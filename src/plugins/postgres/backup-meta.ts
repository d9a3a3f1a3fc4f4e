/**
 * What a backup records about itself, in a JSON file beside it (`<backup>.json`): when it was taken, the WAL
 * position, a SHA-256 of the file, and for the chosen tables their row counts and checksums, all read in the very
 * snapshot the backup holds. `postgres.verify` compares against these; the destructive faults' reverts restore
 * from the file it names, after a crash too.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type pg from 'pg';
import { ChaosError, ExitCode, messageOf } from '../../errors.js';

export interface TableFacts {
  schema: string;
  name: string;
  /** Indexes that are not constraints, and sequences the table owns: restored with the table. */
  indexes: string[];
  sequences: string[];
  /** Counted and checksummed tables only. */
  rows: number | null;
  checksum: string | null;
}

export interface BackupMeta {
  kind: 'logical' | 'physical';
  /** The dump file (logical) or the base backup directory (physical). */
  path: string;
  /** Its metadata file. */
  metaPath: string;
  target: string;
  database: string;
  /** When the backup's snapshot was taken: the data is as of this moment. */
  takenAt: string;
  durationMs: number;
  /** pg_current_wal_lsn() when the backup's snapshot was taken. */
  walLsn: string;
  /** SHA-256 of the dump file (logical); null for a physical backup, which pg_verifybackup checks. */
  sha256: string | null;
  tables: TableFacts[];
  /** Set on a copy made by postgres.corrupt-backup: the backup it was copied from. */
  corruptedFrom?: string;
}

export function metaPathOf(backupPath: string): string {
  return `${backupPath}.json`;
}

export async function writeBackupMeta(meta: BackupMeta): Promise<void> {
  await writeFile(meta.metaPath, `${JSON.stringify(meta, null, 2)}\n`);
}

export async function readBackupMeta(metaPath: string): Promise<BackupMeta> {
  try {
    return JSON.parse(await readFile(metaPath, 'utf8')) as BackupMeta;
  } catch (error) {
    throw new ChaosError(`cannot read backup metadata ${metaPath}: ${messageOf(error)}`, {
      code: 'E_PG_BACKUP_META',
      exitCode: ExitCode.Failed,
      hint: 'the backup and its .json file must stay together',
      cause: error,
    });
  }
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every ordinary table outside the system schemas, with the indexes and sequences that belong to it. */
export async function listTables(client: pg.Client): Promise<TableFacts[]> {
  const { rows } = await client.query<{ schema: string; name: string; indexes: string[]; sequences: string[] }>(`
    SELECT n.nspname AS schema, c.relname AS name,
      coalesce((SELECT array_agg(i.relname::text ORDER BY i.relname) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                WHERE x.indrelid = c.oid AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)), '{}') AS indexes,
      coalesce((SELECT array_agg(s.relname::text ORDER BY s.relname) FROM pg_depend d JOIN pg_class s ON s.oid = d.objid
                WHERE d.refobjid = c.oid AND d.classid = 'pg_class'::regclass AND s.relkind = 'S' AND d.deptype IN ('a', 'i')), '{}') AS sequences
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
    ORDER BY 1, 2`);
  return rows.map((r) => ({ ...r, rows: null, checksum: null }));
}

/**
 * Row count and checksum of a table: MD5 over every row's text form in a stable order, so any changed, missing or
 * extra row changes it.
 */
export async function tableChecksum(client: pg.Client, schema: string, name: string): Promise<{ rows: number; checksum: string }> {
  const qualified = `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`;
  const { rows } = await client.query<{ rows: number | string; checksum: string }>(
    `SELECT count(*) AS rows, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS checksum FROM ${qualified} t`,
  );
  const row = rows[0];
  return { rows: Number(row.rows), checksum: row.checksum };
}

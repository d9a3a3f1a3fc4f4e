/**
 * Restoring from a logical backup with pg_restore: the whole database, a new database, or single tables (their
 * definition, data, constraints, indexes and owned sequences, picked from the dump's table of contents). Every
 * restore runs in one transaction with `--clean --if-exists`, so it is all-or-nothing and may run again (a revert
 * after a crash). A dump whose SHA-256 no longer matches its metadata is refused: restoring a damaged backup is
 * exactly what a drill must catch.
 */
import { unlink, writeFile } from 'node:fs/promises';
import { ChaosError, ExitCode, messageOf } from '../../errors.js';
import { findPgProgram } from '../../os/postgres/binaries.js';
import { sha256OfFile, type BackupMeta } from './backup-meta.js';
import { libpqEnv, urlWithoutPassword, type PgAddress } from './connection-url.js';
import { runProgram } from '../../os/postgres/run-program.js';

export interface RestoreWhere {
  address: PgAddress;
  database: string;
  binDir: string | undefined;
  signal?: AbortSignal | undefined;
}

/** Refuses a logical backup whose file changed since it was taken. */
export async function checkBackupIntact(backup: BackupMeta): Promise<void> {
  if (backup.kind !== 'logical' || backup.sha256 === null) return;
  let actual: string;
  try {
    actual = await sha256OfFile(backup.path);
  } catch (error) {
    throw new ChaosError(`backup ${backup.path} cannot be read: ${messageOf(error)}`, {
      code: 'E_PG_BACKUP_MISSING',
      exitCode: ExitCode.Failed,
      cause: error,
    });
  }
  if (actual !== backup.sha256) {
    throw new ChaosError(`backup ${backup.path} is damaged: its SHA-256 is ${actual.slice(0, 12)}…, recorded ${backup.sha256.slice(0, 12)}… when it was taken`, {
      code: 'E_PG_BACKUP_CORRUPT',
      exitCode: ExitCode.Failed,
      hint: 'take a new backup; this one cannot be trusted',
    });
  }
}

function restoreArgs(where: RestoreWhere, extra: string[], file: string): string[] {
  return ['--no-owner', '--single-transaction', ...extra, '-d', urlWithoutPassword(where.address, where.database), file];
}

/** Restores the whole dump into `where.database`, replacing what is there. */
export async function restoreDatabase(backup: BackupMeta, where: RestoreWhere, clean: boolean): Promise<void> {
  await checkBackupIntact(backup);
  const pgRestore = findPgProgram('pg_restore', where.binDir);
  await runProgram(pgRestore, restoreArgs(where, clean ? ['--clean', '--if-exists'] : [], backup.path), {
    env: libpqEnv(where.address),
    ...(where.signal === undefined ? {} : { signal: where.signal }),
  });
}

/** The dump's table-of-contents lines that rebuild these tables. */
export function tocLinesFor(toc: string, backup: BackupMeta, tables: ReadonlyArray<{ schema: string; name: string }>): string[] {
  const prefixes: string[] = [];
  for (const { schema, name } of tables) {
    const facts = backup.tables.find((t) => t.schema === schema && t.name === name);
    prefixes.push(`TABLE ${schema} ${name} `, `TABLE DATA ${schema} ${name} `, `CONSTRAINT ${schema} ${name} `, `FK CONSTRAINT ${schema} ${name} `, `DEFAULT ${schema} ${name} `);
    for (const index of facts?.indexes ?? []) prefixes.push(`INDEX ${schema} ${index} `);
    for (const seq of facts?.sequences ?? []) prefixes.push(`SEQUENCE ${schema} ${seq} `, `SEQUENCE OWNED BY ${schema} ${seq} `, `SEQUENCE SET ${schema} ${seq} `);
  }
  return toc.split('\n').filter((line) => {
    const entry = /^\d+; \d+ \d+ (.*)$/.exec(line);
    return entry !== null && prefixes.some((p) => `${entry[1]} `.startsWith(p));
  });
}

/** Replaces these tables with their state in the backup (dropping what is there now), in one transaction. */
export async function restoreTables(
  backup: BackupMeta,
  tables: ReadonlyArray<{ schema: string; name: string }>,
  where: RestoreWhere,
): Promise<void> {
  await checkBackupIntact(backup);
  const pgRestore = findPgProgram('pg_restore', where.binDir);
  const { stdout: toc } = await runProgram(pgRestore, ['-l', backup.path]);
  const lines = tocLinesFor(toc, backup, tables);
  const absent = tables.filter(({ schema, name }) => !lines.some((l) => l.includes(` TABLE ${schema} ${name} `)));
  if (absent.length > 0) {
    throw new ChaosError(`backup ${backup.path} holds no table ${absent.map((t) => `${t.schema}.${t.name}`).join(', ')}`, {
      code: 'E_PG_TABLE_NOT_IN_BACKUP',
      exitCode: ExitCode.Failed,
    });
  }
  const listFile = `${backup.path}.restore-${process.pid}-${Date.now()}.list`;
  await writeFile(listFile, `${lines.join('\n')}\n`);
  try {
    await runProgram(pgRestore, restoreArgs(where, ['--clean', '--if-exists', '-L', listFile], backup.path), {
      env: libpqEnv(where.address),
      ...(where.signal === undefined ? {} : { signal: where.signal }),
    });
  } finally {
    await unlink(listFile).catch(() => undefined);
  }
}

/**
 * `postgres.backup`: pg_dump in custom format (default), or `kind: physical` for a pg_basebackup of the whole
 * cluster. Records when it was taken, the WAL position and, for `tables` (default all), row counts and checksums,
 * read in the exact snapshot the dump holds (pg_dump --snapshot), in `<backup>.json` beside it.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { defineAction } from '../../api.js';
import { findPgProgram } from '../../../os/postgres/binaries.js';
import { listTables, metaPathOf, sha256OfFile, tableChecksum, writeBackupMeta, type BackupMeta } from '../backup-meta.js';
import { libpqEnv, splitQualified, urlWithoutPassword } from '../connection-url.js';
import { runProgram } from '../../../os/postgres/run-program.js';
import type { PostgresSession } from '../session.js';
import { backupSummary } from './backup-summary.js';
import { backupSpec } from '../specs.js';

const LSN_SQL = 'SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END::text AS lsn';

export const backupAction = defineAction({
  ...backupSpec,
  async run(session: PostgresSession | undefined, p, ctx) {
    if (session === undefined) throw new Error('postgres.backup needs a target');
    const dir = resolve(p.dir ?? session.workDir);
    await mkdir(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.(\d+)Z$/, '$1Z');
    const base = join(dir, `${session.targetName}-${session.address.database}-${stamp}`);
    const path = p.kind === 'logical' ? `${base}.dump` : `${base}.basebackup`;
    const started = Date.now();
    const env = libpqEnv(session.address);
    const wanted = p.tables?.map(splitQualified);

    const meta = await session.withClient(async (client) => {
      // One REPEATABLE READ snapshot for the counts, the checksums and (via --snapshot) the dump itself.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        const { rows } = await client.query<{ snapshot: string; lsn: string }>(`SELECT pg_export_snapshot() AS snapshot, (${LSN_SQL}) AS lsn`);
        const { snapshot, lsn } = rows[0];
        // The backup holds the data as of this moment, however long pg_dump then takes.
        const takenAt = new Date().toISOString();
        const tables = await listTables(client);
        for (const t of tables) {
          if (wanted !== undefined && !wanted.some(([s, n]) => s === t.schema && n === t.name)) continue;
          Object.assign(t, await tableChecksum(client, t.schema, t.name));
        }
        const missing = (wanted ?? []).filter(([s, n]) => !tables.some((t) => t.schema === s && t.name === n));
        if (missing.length > 0) throw new Error(`no table ${missing.map(([s, n]) => `${s}.${n}`).join(', ')} in database ${session.address.database}`);
        const url = urlWithoutPassword(session.address);
        if (p.kind === 'logical') {
          await runProgram(findPgProgram('pg_dump', session.config.binDir), ['-Fc', `--snapshot=${snapshot}`, '-f', path, '-d', url], { env, signal: ctx.signal });
        } else {
          await runProgram(findPgProgram('pg_basebackup', session.config.binDir), ['-D', path, '-d', url, '-X', 'stream', '-c', 'fast', '--no-sync'], { env, signal: ctx.signal });
        }
        return { lsn, tables, takenAt };
      } finally {
        await client.query('COMMIT').catch(() => undefined);
      }
    });

    const backup: BackupMeta = {
      kind: p.kind,
      path,
      metaPath: metaPathOf(path),
      target: session.targetName,
      database: session.address.database,
      takenAt: meta.takenAt,
      durationMs: Date.now() - started,
      walLsn: meta.lsn,
      sha256: p.kind === 'logical' ? await sha256OfFile(path) : null,
      tables: meta.tables,
    };
    await writeBackupMeta(backup);
    session.backups.push(backup);
    ctx.logger.info(`backed up ${session.shownUrl} to ${path} in ${backup.durationMs} ms (WAL ${backup.walLsn})`);
    return backupSummary(backup);
  },
});

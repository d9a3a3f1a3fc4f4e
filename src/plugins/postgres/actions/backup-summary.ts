import type { Json } from '../../../json.js';
import type { BackupMeta } from '../backup-meta.js';

/** What the journal shows of a backup. */
export function backupSummary(backup: BackupMeta): Json {
  const tables: Record<string, Json> = {};
  for (const t of backup.tables) {
    if (t.rows !== null) tables[`${t.schema}.${t.name}`] = { rows: t.rows, checksum: t.checksum };
  }
  return {
    kind: backup.kind,
    path: backup.path,
    takenAt: backup.takenAt,
    durationMs: backup.durationMs,
    walLsn: backup.walLsn,
    sha256: backup.sha256,
    tables,
  };
}

/**
 * Which backup an action uses: an explicit `backup` path (its `.json` metadata beside it), else the newest one this
 * run took on the target (which may be a copy postgres.corrupt-backup damaged).
 */
import { metaPathOf, readBackupMeta, type BackupMeta } from './backup-meta.js';
import type { PostgresSession } from './session.js';

export async function chooseBackup(session: PostgresSession, path: string | undefined, what: string): Promise<BackupMeta> {
  if (path !== undefined) return readBackupMeta(metaPathOf(path));
  return session.requireLatestBackup(what);
}

/**
 * `postgres.restore`: pg_restore of a logical backup into the target's database (`--clean --if-exists`, one
 * transaction), into a new database (`intoDatabase`), or only some `tables`; a physical backup is copied into
 * `dataDir` (given to the server user), ready for pg_ctl. The restore's duration is in the output; in a drill it
 * is the RTO.
 */
import { chmod, cp, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ChaosError, ExitCode } from '../../../errors.js';
import { defineAction } from '../../api.js';
import { chooseBackup } from '../backup-choice.js';
import { splitQualified } from '../connection-url.js';
import { giveTo, serverUser, type OsUser } from '../../../os/postgres/os-user.js';
import { restoreDatabase, restoreTables } from '../restore-programs.js';
import type { PostgresSession } from '../session.js';
import { restoreSpec } from '../specs.js';

async function chownTree(user: OsUser | null, path: string): Promise<void> {
  await giveTo(user, path);
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) await chownTree(user, child);
    else await giveTo(user, child);
  }
}

export const restoreAction = defineAction({
  ...restoreSpec,
  async run(session: PostgresSession | undefined, p, ctx) {
    if (session === undefined) throw new Error('postgres.restore needs a target');
    const backup = await chooseBackup(session, p.backup, 'postgres.restore');
    const started = Date.now();
    let into: string;
    if (backup.kind === 'physical') {
      if (p.dataDir === undefined) {
        throw new ChaosError('a physical backup is restored into a data directory: give `dataDir`', {
          code: 'E_PG_RESTORE_PARAMS',
          exitCode: ExitCode.InvalidInput,
          hint: 'stop the cluster first; the restored directory is then started with pg_ctl',
        });
      }
      const existing = await readdir(p.dataDir).catch(() => []);
      if (existing.length > 0) {
        throw new ChaosError(`data directory ${p.dataDir} is not empty; a physical restore will not overwrite it`, {
          code: 'E_PG_RESTORE_TARGET',
          exitCode: ExitCode.Failed,
          hint: 'move the old directory away first, or restore into a new path',
        });
      }
      await cp(backup.path, p.dataDir, { recursive: true });
      await chmod(p.dataDir, 0o700);
      await chownTree(serverUser(session.config.osUser), p.dataDir);
      into = `data directory ${p.dataDir}`;
    } else {
      const where = { address: session.address, database: session.address.database, binDir: session.config.binDir, signal: ctx.signal };
      if (p.intoDatabase !== undefined) {
        await session.withClient((c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(p.intoDatabase!)}`));
        await restoreDatabase(backup, { ...where, database: p.intoDatabase }, false);
        into = `new database ${p.intoDatabase}`;
      } else if (p.tables !== undefined) {
        const tables = p.tables.map((t) => {
          const [schema, name] = splitQualified(t);
          return { schema, name };
        });
        await restoreTables(backup, tables, where);
        into = `table(s) ${p.tables.join(', ')} of ${session.address.database}`;
      } else {
        await restoreDatabase(backup, where, true);
        into = `database ${session.address.database}`;
      }
    }
    const durationMs = Date.now() - started;
    ctx.logger.info(`restored ${backup.path} into ${into} in ${durationMs} ms`);
    return { backup: backup.path, into, restoredAt: new Date().toISOString(), durationMs, backupTakenAt: backup.takenAt, walLsn: backup.walLsn };
  },
});

/**
 * `postgres.corrupt-backup`: copies the run's newest backup and flips bytes in the copy (never in the original);
 * the copy, with the original's metadata, becomes the backup later steps use, so the drill proves that
 * `postgres.verify` (or a restore) catches a damaged backup. Revert deletes the copy and puts the original back.
 */
import { copyFile, open, rm, stat } from 'node:fs/promises';
import { ChaosError, ExitCode } from '../../../errors.js';
import { defineFault, type InjectContext } from '../../api.js';
import { metaPathOf, writeBackupMeta, type BackupMeta } from '../backup-meta.js';
import type { PostgresSession } from '../session.js';
import { corruptBackupSpec } from '../specs.js';

type CorruptState = { original: string; copy: string; copyMeta: string };

export const corruptBackupFault = defineFault({
  ...corruptBackupSpec,
  async inject(session: PostgresSession, p, ctx: InjectContext<CorruptState>) {
    const backup = session.requireLatestBackup('postgres.corrupt-backup');
    if (backup.kind !== 'logical') {
      throw new ChaosError('postgres.corrupt-backup damages logical backups (pg_dump files) only', {
        code: 'E_PG_CORRUPT_KIND',
        exitCode: ExitCode.InvalidInput,
        hint: 'take a `kind: logical` backup before it',
      });
    }
    const copy = backup.path.replace(/\.dump$/, '') + `.corrupt-${Date.now()}.dump`;
    const state: CorruptState = { original: backup.path, copy, copyMeta: metaPathOf(copy) };
    await ctx.record(state);
    await copyFile(backup.path, copy);
    const size = (await stat(copy)).size;
    const file = await open(copy, 'r+');
    const flipped: number[] = [];
    try {
      const from = Math.floor(size / 4);
      const span = Math.max(1, Math.floor(size / 2));
      for (let i = 0; i < p.bytes; i++) {
        const at = from + Math.floor((i * span) / p.bytes);
        const one = Buffer.alloc(1);
        await file.read(one, 0, 1, at);
        one[0] = one[0] ^ 0xff;
        await file.write(one, 0, 1, at);
        flipped.push(at);
      }
    } finally {
      await file.close();
    }
    // The copy claims to be the backup (same recorded SHA-256 and counts): exactly what a damaged backup looks like.
    const damaged: BackupMeta = { ...backup, path: copy, metaPath: state.copyMeta, corruptedFrom: backup.path };
    await writeBackupMeta(damaged);
    session.backups.push(damaged);
    ctx.logger.info(`flipped ${flipped.length} byte(s) of ${copy} (a copy of ${backup.path}) at offsets ${flipped.slice(0, 4).join(', ')}${flipped.length > 4 ? '…' : ''}`);
    return state;
  },
  async revert(session: PostgresSession, state, ctx) {
    const index = session.backups.findIndex((b) => b.path === state.copy);
    if (index >= 0) session.backups.splice(index, 1);
    await rm(state.copy, { force: true });
    await rm(state.copyMeta, { force: true });
    ctx.logger.info(`deleted the damaged copy ${state.copy}; ${state.original} is the backup again`);
  },
});

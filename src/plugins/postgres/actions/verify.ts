/**
 * `postgres.verify`: checks a backup and the data against what was recorded when the backup was taken. The backup
 * file must be intact (SHA-256 for a dump, pg_verifybackup for a base backup), and every recorded table (or the
 * chosen `tables`) must have the same row count and checksum in the database now. Fails listing every difference.
 */
import { ChaosError, ExitCode, messageOf } from '../../../errors.js';
import { defineAction } from '../../api.js';
import { findPgProgram } from '../../../os/postgres/binaries.js';
import { chooseBackup } from '../backup-choice.js';
import { tableChecksum } from '../backup-meta.js';
import { splitQualified } from '../connection-url.js';
import { checkBackupIntact } from '../restore-programs.js';
import { runProgram } from '../../../os/postgres/run-program.js';
import type { PostgresSession } from '../session.js';
import { verifySpec } from '../specs.js';

export const verifyAction = defineAction({
  ...verifySpec,
  async run(session: PostgresSession | undefined, p, ctx) {
    if (session === undefined) throw new Error('postgres.verify needs a target');
    const backup = await chooseBackup(session, p.backup, 'postgres.verify');
    const differences: string[] = [];
    if (backup.kind === 'logical') {
      await checkBackupIntact(backup).catch((e: unknown) => differences.push(messageOf(e)));
    } else {
      await runProgram(findPgProgram('pg_verifybackup', session.config.binDir), ['-n', backup.path], { signal: ctx.signal }).catch((e: unknown) =>
        differences.push(`base backup ${backup.path} fails pg_verifybackup: ${messageOf(e)}`),
      );
    }
    const recorded = backup.tables.filter((t) => t.rows !== null);
    const chosen = p.tables === undefined ? recorded : p.tables.map(splitQualified).map(([schema, name]) => {
      const found = recorded.find((t) => t.schema === schema && t.name === name);
      if (found === undefined) differences.push(`${schema}.${name}: the backup recorded no count or checksum for it`);
      return found;
    }).filter((t) => t !== undefined);
    const tables: Record<string, { rows: number | null; checksum: string | null; ok: boolean }> = {};
    const database = p.database ?? session.address.database;
    if (p.data) {
      await session.withClient(async (client) => {
        for (const t of chosen) {
          const name = `${t.schema}.${t.name}`;
          const exists = await client.query('SELECT to_regclass($1) IS NOT NULL AS ok', [`${client.escapeIdentifier(t.schema)}.${client.escapeIdentifier(t.name)}`]);
          if (exists.rows[0]?.ok !== true) {
            differences.push(`${name}: missing (${t.rows} rows at backup)`);
            tables[name] = { rows: null, checksum: null, ok: false };
            continue;
          }
          const now = await tableChecksum(client, t.schema, t.name);
          const ok = now.rows === t.rows && now.checksum === t.checksum;
          if (now.rows !== t.rows) differences.push(`${name}: ${now.rows} rows, ${t.rows} at backup`);
          else if (now.checksum !== t.checksum) differences.push(`${name}: same ${now.rows} rows, but their content differs from the backup (checksum)`);
          tables[name] = { ...now, ok };
        }
      }, database);
    }
    if (differences.length > 0) {
      throw new ChaosError(`verification against backup ${backup.path} failed: ${differences.join('; ')}`, {
        code: 'E_PG_VERIFY_FAILED',
        exitCode: ExitCode.Failed,
      });
    }
    ctx.logger.info(`verified ${Object.keys(tables).length} table(s) of ${database} and backup ${backup.path}`);
    return { backup: backup.path, database, backupIntact: true, tables };
  },
});

/**
 * What the destructive faults (drop-table, truncate, delete-rows) share: each refuses unless the target allows
 * destruction and this run took a logical backup of the target earlier; the backup is recorded in the ledger before
 * anything changes, and the revert replaces the affected tables with their state in that backup (so what was written
 * since the backup is lost: the drill's RPO).
 */
import type pg from 'pg';
import type { z } from 'zod';
import { ChaosError, ExitCode } from '../../../errors.js';
import { defineFault, type FaultSpec, type FaultType, type InjectContext, type ParamsSchema } from '../../api.js';
import { readBackupMeta } from '../backup-meta.js';
import { splitQualified } from '../connection-url.js';
import { restoreTables } from '../restore-programs.js';
import type { PostgresSession } from '../session.js';

export type DestructiveState = {
  backup: string;
  backupMeta: string;
  tables: Array<{ schema: string; name: string }>;
};

/** How one destructive fault damages the database. */
export interface Damage<P> {
  /** The tables the fault damages (as written: `orders` or `shop.orders`). */
  tablesOf(p: P): string[];
  /** "DROP TABLE orders": what plan and the log say. */
  describe(p: P): string;
  /** Does the damage, on one connection. */
  damage(client: pg.Client, p: P, tables: Array<{ schema: string; name: string }>): Promise<string>;
}

export function destructiveFault<Schema extends ParamsSchema>(
  fault: FaultSpec<Schema>,
  damage: Damage<z.output<Schema>>,
): FaultType<PostgresSession, z.output<Schema>, DestructiveState> {
  return defineFault({
    ...fault,
    async plan(session: PostgresSession, p) {
      session.requireDestructiveAllowed(fault.type);
      return [{ action: `${damage.describe(p)} in ${session.shownUrl}; revert restores from the run's backup`, target: session.targetName }];
    },
    async inject(session: PostgresSession, p, ctx: InjectContext<DestructiveState>) {
      session.requireDestructiveAllowed(fault.type);
      const backup = session.requireLatestBackup(fault.type, 'logical');
      const tables = damage.tablesOf(p).map((t) => {
        const [schema, name] = splitQualified(t);
        return { schema, name };
      });
      const absent = tables.filter((t) => !backup.tables.some((b) => b.schema === t.schema && b.name === t.name));
      if (absent.length > 0) {
        throw new ChaosError(`${fault.type}: the backup ${backup.path} holds no table ${absent.map((t) => `${t.schema}.${t.name}`).join(', ')}, so it could not be restored`, {
          code: 'E_PG_TABLE_NOT_IN_BACKUP',
          exitCode: ExitCode.InvalidInput,
          hint: 'take the backup after the table exists, or fix the table name',
        });
      }
      const state: DestructiveState = { backup: backup.path, backupMeta: backup.metaPath, tables };
      await ctx.record(state);
      const said = await session.withClient((client) => damage.damage(client, p, tables));
      ctx.logger.info(`${damage.describe(p)}: ${said}`);
      return state;
    },
    async revert(session: PostgresSession, state, ctx) {
      const backup = await readBackupMeta(state.backupMeta);
      await restoreTables(backup, state.tables, {
        address: session.address,
        database: session.address.database,
        binDir: session.config.binDir,
      });
      ctx.logger.info(`restored ${state.tables.map((t) => `${t.schema}.${t.name}`).join(', ')} from ${state.backup}`);
    },
  });
}

export function qualified(client: pg.Client, t: { schema: string; name: string }): string {
  return `${client.escapeIdentifier(t.schema)}.${client.escapeIdentifier(t.name)}`;
}

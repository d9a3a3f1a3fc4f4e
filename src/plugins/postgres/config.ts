/**
 * The settings of a `postgres` target: a connection URL (its password may be `${secrets.NAME}`), and for a local
 * cluster the run may stop and start, its data directory and programs.
 */
import { z } from 'zod';
import { defineTarget } from '../api.js';
import { parsePgUrl } from './connection-url.js';

export const postgresConfigSchema = z
  .object({
    url: z
      .string()
      .min(1)
      .refine((url) => /^postgres(ql)?:\/\/[^/]/.test(url), {
        message: 'expected a URL like postgres://user@127.0.0.1:5432/database',
        params: { code: 'E_PG_URL', hint: 'a password belongs in a secret: postgres://app:${secrets.db_password}@host/db' },
      })
      .describe('postgres://user:password@host:port/database; put the password in a secret'),
    dataDir: z.string().min(1).optional().describe('data directory of a local cluster (needed by postgres.kill)'),
    pgCtl: z.string().min(1).optional().describe('path of pg_ctl for the local cluster (default: found like binDir)'),
    binDir: z.string().min(1).optional().describe('directory of PostgreSQL\'s programs (default: PATH, then /usr/lib/postgresql/<newest>/bin)'),
    osUser: z
      .string()
      .min(1)
      .optional()
      .describe('OS user the server programs run as when chaosdrill runs as root (default postgres)'),
    allowDestructive: z
      .boolean()
      .default(false)
      .describe('allow faults that destroy data (drop-table, truncate, delete-rows); each also needs a backup taken earlier in the run'),
  })
  .strict();

export type PostgresConfig = z.output<typeof postgresConfigSchema>;

/** The server and database, never the password: for locks and the ledger. */
export function postgresTargetKey(config: PostgresConfig): string {
  try {
    const a = parsePgUrl(config.url);
    return `postgres:${a.host}:${a.port}/${a.database}`;
  } catch {
    return 'postgres:unparsable-url';
  }
}

/** The `postgres` target kind. */
export const postgresTarget = defineTarget({
  config: postgresConfigSchema,
  attributes: ['host', 'port', 'database', 'serverVersion', 'isPrimary'],
  targetKey: postgresTargetKey,
});

/**
 * A PostgreSQL connection URL (`postgres://user:password@host:port/database`). The password may come from a
 * secret, so it is kept out of everything shown or written: messages use `redactUrl`, and the client programs get
 * it through PGPASSWORD rather than on their command line (where `ps` would show it).
 */
import { ChaosError, ExitCode } from '../../errors.js';

export interface PgAddress {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string | null;
  /** Other query parameters (sslmode, application_name…), passed through. */
  params: Record<string, string>;
}

export function parsePgUrl(url: string): PgAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ChaosError('the postgres url is not a URL', {
      code: 'E_PG_URL',
      exitCode: ExitCode.InvalidInput,
      hint: 'write postgres://user@127.0.0.1:5432/database',
    });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ChaosError(`the postgres url must start with postgres:// (found ${parsed.protocol}//)`, {
      code: 'E_PG_URL',
      exitCode: ExitCode.InvalidInput,
      hint: 'write postgres://user@127.0.0.1:5432/database',
    });
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  return {
    host: parsed.hostname === '' ? '127.0.0.1' : parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port === '' ? 5432 : Number(parsed.port),
    database: database === '' ? 'postgres' : database,
    user: parsed.username === '' ? 'postgres' : decodeURIComponent(parsed.username),
    password: parsed.password === '' ? null : decodeURIComponent(parsed.password),
    params: Object.fromEntries(parsed.searchParams),
  };
}

/** The URL with the password replaced by `***`, for messages and attributes. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable postgres url)';
  }
}

/** The address as a URL without its password (for libpq's programs, which take the password from PGPASSWORD). */
export function urlWithoutPassword(address: PgAddress, database: string = address.database): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  const query = new URLSearchParams(address.params).toString();
  return `postgresql://${encodeURIComponent(address.user)}@${host}:${address.port}/${encodeURIComponent(database)}${query === '' ? '' : `?${query}`}`;
}

/** The environment libpq's programs need for this address. */
export function libpqEnv(address: PgAddress): Record<string, string> {
  return address.password === null ? {} : { PGPASSWORD: address.password };
}

/** node-postgres client settings for this address (another database of the same server with `database`). */
export function clientConfig(address: PgAddress, database: string = address.database) {
  return {
    host: address.host,
    port: address.port,
    user: address.user,
    database,
    ...(address.password === null ? {} : { password: address.password }),
    ...(address.params['application_name'] === undefined ? { application_name: 'chaosdrill' } : { application_name: address.params['application_name'] }),
  };
}

/** A quoted SQL identifier, with an optional schema: `orders` → `"orders"`, `shop.orders` → `"shop"."orders"`. */
export function quoteQualified(name: string): string {
  return splitQualified(name)
    .map((part) => `"${part.replaceAll('"', '""')}"`)
    .join('.');
}

/** `shop.orders` → ['shop', 'orders']; `orders` → ['public', 'orders']. */
export function splitQualified(name: string): [string, string] {
  const dot = name.indexOf('.');
  return dot < 0 ? ['public', name] : [name.slice(0, dot), name.slice(dot + 1)];
}

/**
 * Listen addresses as Toxiproxy's Go server reads them (net.Listen("tcp", addr)): the same parsing rules, the same
 * resolution (`localhost` → 127.0.0.1, an empty host: every interface) and the same error texts, e.g.
 * `listen tcp: address nonsense: missing port in address` or `listen tcp 127.0.0.1:3310: bind: address already in use`.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** A resolved listen address: `host` null means every interface. */
export interface ListenAddress {
  host: string | null;
  port: number;
}

/** An address that cannot be listened on; `message` is Go's text, as the API's 500 answer carries it. */
export class ListenError extends Error {
  override name = 'ListenError';
}

/** Go's net.SplitHostPort, with its error texts. */
export function splitHostPort(text: string): { host: string; port: string } {
  const fail = (why: string) => new ListenError(`listen tcp: address ${text}: ${why}`);
  const colon = text.lastIndexOf(':');
  if (colon < 0) throw fail('missing port in address');
  let host: string;
  let from = 0;
  let to = 0;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) throw fail("missing ']' in address");
    if (end + 1 === text.length) throw fail('missing port in address');
    if (end + 1 !== colon) throw fail(text[end + 1] === ':' ? 'too many colons in address' : 'missing port in address');
    host = text.slice(1, end);
    from = 1;
    to = end + 1;
  } else {
    host = text.slice(0, colon);
    if (host.includes(':')) throw fail('too many colons in address');
  }
  if (text.slice(from).includes('[')) throw fail("unexpected '[' in address");
  if (text.slice(to).includes(']')) throw fail("unexpected ']' in address");
  return { host, port: text.slice(colon + 1) };
}

/** Go's port parsing: empty is 0, an optional sign, decimal digits; names (`http`) are not looked up here. */
export function parsePort(text: string): number {
  if (text === '') return 0;
  const match = /^([+-]?)(\d+)$/.exec(text);
  if (!match) throw new ListenError(`listen tcp: address tcp/${text}: unknown port`);
  const value = (match[1] === '-' ? -1 : 1) * Math.min(Number(match[2]), 2 ** 30);
  if (value < 0 || value > 65535) throw new ListenError(`listen tcp: address ${text}: invalid port`);
  return value;
}

/** Parses and resolves a listen address as Go's net.Listen would; throws ListenError with Go's text. */
export async function resolveListen(text: string): Promise<ListenAddress> {
  const { host, port } = splitHostPort(text);
  const number = parsePort(port);
  if (host === '') return { host: null, port: number };
  const literal = ipLiteral(host);
  if (literal !== null) return { host: literal, port: number };
  try {
    const found = await lookup(host, { all: true });
    const chosen = found.find((a) => a.family === 4) ?? found[0];
    if (chosen) return { host: chosen.address, port: number };
  } catch {
    // reported below, as Go reports a failed lookup
  }
  throw new ListenError(`listen tcp: lookup ${host}: no such host`);
}

/**
 * The address Toxiproxy compares with a proxy's current one to decide whether an update or populate changes it:
 * `localhost:3310` and `127.0.0.1:3310` are the same. An address that does not resolve is compared as written.
 */
export async function comparableListen(text: string): Promise<string> {
  try {
    return formatListen(await resolveListen(text));
  } catch {
    return text;
  }
}

/** Go's TCPAddr.String(): `127.0.0.1:3310`, `[::1]:3310`, `:3310` for every interface. */
export function formatListen(address: ListenAddress): string {
  if (address.host === null) return `:${address.port}`;
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** The text after `listen tcp <addr>: ` for a failed bind, as Go's syscall errors read. */
export function bindErrorText(error: NodeJS.ErrnoException): string {
  const texts: Record<string, string> = {
    EADDRINUSE: 'bind: address already in use',
    EADDRNOTAVAIL: 'bind: cannot assign requested address',
    EACCES: 'bind: permission denied',
    EAFNOSUPPORT: 'socket: address family not supported by protocol',
  };
  return texts[error.code ?? ''] ?? error.message;
}

/** An IP literal in Go's canonical form, or null for a host name. IPv4 with leading zeros is a name, as in Go. */
function ipLiteral(host: string): string | null {
  const version = isIP(host);
  if (version === 4) return host;
  if (version !== 6) return null;
  const canonical = new URL(`http://[${host}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!mapped) return canonical;
  const [hi, lo] = [parseInt(mapped[1], 16), parseInt(mapped[2], 16)];
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

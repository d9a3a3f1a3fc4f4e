/**
 * The one request the open-model driver sends, again and again: encoded once into the bytes that go on the wire
 * (request line, headers, body), as autocannon does, so that sending a request costs one socket write and nothing
 * else. Headers that could break the framing (CR/LF in a value, a name that is not a token) are refused before
 * anything is sent.
 */
import { ChaosError, ExitCode } from '../errors.js';

export interface Http1Request {
  /** Request line, headers and body, ready to write. */
  bytes: Buffer;
  /** A HEAD request: its response has headers only, whatever its content-length says. */
  head: boolean;
}

/** RFC 9110 §5.1: a field name is a token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** RFC 9110 §5.5: no CR, LF or NUL in a field value (obs-text is allowed). */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Headers the driver writes itself, because they frame the body on the wire. */
const FRAMING = new Set(['content-length', 'transfer-encoding']);
/** Methods whose requests carry a body: without one they say `content-length: 0`, as undici and browsers do. */
const EXPECTS_BODY = new Set(['POST', 'PUT', 'PATCH']);

export function encodeRequest(url: URL, method: string, headers: Readonly<Record<string, string>>, body: string | undefined): Http1Request {
  const lines = [`${method} ${url.pathname}${url.search} HTTP/1.1`];
  const given = new Set<string>();
  const own: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!TOKEN.test(name)) throw badHeader(`header name "${name}" is not a valid HTTP field name`, 'use letters, digits and - only, e.g. x-request-id');
    if (!FIELD_VALUE.test(value)) throw badHeader(`header "${name}" has a line break or control character in its value`, 'a header value is one line of text');
    if (FRAMING.has(lower)) throw badHeader(`header "${name}" is set by the load driver from the body`, `remove "${name}" from load.headers`);
    given.add(lower);
    own.push(`${name}: ${value}`);
  }
  if (!given.has('host')) lines.push(`host: ${url.host}`);
  // HTTP/1.1 keeps connections alive unless told otherwise; saying so costs a few bytes and helps HTTP/1.0 proxies.
  if (!given.has('connection')) lines.push('connection: keep-alive');
  lines.push(...own);
  const payload = body === undefined ? null : Buffer.from(body);
  if (payload !== null || EXPECTS_BODY.has(method)) lines.push(`content-length: ${payload?.length ?? 0}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return { bytes: payload === null ? head : Buffer.concat([head, payload]), head: method === 'HEAD' };
}

function badHeader(message: string, hint: string): ChaosError {
  return new ChaosError(`load.headers: ${message}`, { code: 'E_LOAD_HEADERS', exitCode: ExitCode.InvalidInput, hint });
}

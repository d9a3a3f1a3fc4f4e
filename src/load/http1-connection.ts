/**
 * One keep-alive HTTP/1.1 connection of the open-model driver's pool (http1-pool.ts), one request at a time: the
 * request's bytes in one write, the response read with http-parser-js (as autocannon reads it) and its body
 * discarded as it arrives. A connection whose server breaks the protocol (a response that nobody asked for, bytes
 * after a complete response, a parse error) is closed, so no stray byte is ever taken for the next request's answer.
 *
 * The request on a connection ends exactly once (answered or failed): with its response, with the
 * connection's error, or as "reset" when the server closed the connection before answering (a server closing an idle
 * keep-alive connection just as a request leaves on it gives the same: undici and Node's http client count it so).
 */
import { HTTPParser } from 'http-parser-js';
import { connect as connectTcp, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as connectTls } from 'node:tls';
import type { Http1Request } from './http1-request.js';

/** Where connections go, and what they send. */
export interface Http1Target {
  url: URL;
  request: Http1Request;
  /** Read buffer shared by every plain-TCP connection of a pool: each read is parsed before the next one lands. */
  readBuffer: Buffer;
}

/** What the pool hears from its connections. */
export interface ConnectionOwner {
  /** The connection's request has ended and the connection can carry another. */
  idle(connection: Http1Connection): void;
  /** The connection is closed; its request, if it had one, has ended. Called once. */
  closed(connection: Http1Connection): void;
}

/** Idle keep-alive connections are closed after this unless the server's `Keep-Alive: timeout=` says less. */
const DEFAULT_IDLE_MS = 30_000;
/**
 * Stop using a connection this long before the server's announced keep-alive timeout (undici's default margin): a
 * request sent on a connection the server is closing fails for no fault of the server's.
 */
const KEEP_ALIVE_MARGIN_MS = 2000;
const KEEP_ALIVE_TIMEOUT = /timeout=(\d+)/i;

class ConnectionError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** What http-parser-js tells of a response's head (its headers as a flat list: name, value, name, value…). */
interface ResponseHead {
  statusCode: number;
  shouldKeepAlive: boolean;
  upgrade: boolean;
  headers: string[];
}

/** What a connection needs of the request it carries (the driver's ScheduledRequest). */
export interface Http1Exchange {
  connection: Http1Connection | null;
  answered(status: number): void;
  failed(error: unknown): void;
}

/** http-parser-js's position in the chunk it is parsing (not in its typings; see #onMessageComplete). */
interface ParserPosition {
  offset: number;
  end: number;
}

export class Http1Connection {
  readonly #socket: Socket;
  readonly #parser = new HTTPParser(HTTPParser.RESPONSE);
  readonly #owner: ConnectionOwner;
  readonly #target: Http1Target;
  #request: Http1Exchange | null = null;
  #status = 0;
  /** The response in progress lets the connection carry another request after it. */
  #reusable = true;
  /** The server's announced keep-alive timeout minus the margin, ms (the latest one wins, as in undici). */
  #idleMs = DEFAULT_IDLE_MS;
  #lastKeepAlive = '';
  #error: Error | null = null;
  /** performance.now() after which this idle connection is not used again. */
  idleUntil = Infinity;
  /**
   * The server ended it, or it is being destroyed: it must not be used, although `closed` comes only once the socket
   * has closed, a turn of the event loop later, and a request written meanwhile would fail for no fault of the server.
   */
  closing = false;

  constructor(target: Http1Target, owner: ConnectionOwner) {
    this.#target = target;
    this.#owner = owner;
    const { hostname, port, protocol } = target.url;
    // URL keeps the brackets of an IPv6 literal; sockets want the bare address.
    const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
    if (protocol === 'https:') {
      const servername = /^[\d.]+$|:/.test(host) ? undefined : host;
      this.#socket = connectTls({ host, port: Number(port || 443), servername, ALPNProtocols: ['http/1.1'] });
      this.#socket.on('data', (chunk: Buffer) => this.#received(chunk, chunk.length));
    } else {
      this.#socket = connectTcp({
        host,
        port: Number(port || 80),
        // Reads land in the pool's one buffer, parsed at once: no Buffer allocated per read.
        onread: {
          buffer: target.readBuffer,
          callback: (length) => {
            this.#received(target.readBuffer, length);
            return true;
          },
        },
      });
    }
    this.#socket.setNoDelay(true);
    this.#socket.on('error', (error) => (this.#error ??= error));
    this.#socket.on('end', () => this.#ended());
    this.#socket.on('close', () => this.#onClose());
    const parser = this.#parser as unknown as Record<number, unknown>;
    parser[HTTPParser.kOnHeadersComplete] = (head: ResponseHead) => this.#onHeaders(head);
    parser[HTTPParser.kOnBody] = () => undefined;
    parser[HTTPParser.kOnMessageComplete] = () => this.#onMessageComplete();
  }

  /** Sends `request` on this idle (or still connecting) connection. */
  send(request: Http1Exchange): void {
    this.#request = request;
    this.#status = 0;
    request.connection = this;
    this.#socket.write(this.#target.request.bytes);
  }

  /** Closes the connection; its request, if any, ends now with `error`. */
  destroy(error: Error): void {
    this.closing = true;
    this.#error ??= error;
    this.#fail(error);
    this.#socket.destroy();
  }

  #received(chunk: Buffer, length: number): void {
    if (this.#request === null) return this.destroy(new ConnectionError('the server sent data with no request outstanding', 'EPROTO'));
    const parsed = this.#parser.execute(chunk, 0, length);
    if (parsed instanceof Error) this.destroy(parsed);
  }

  #onHeaders(head: ResponseHead): boolean {
    this.#status = head.statusCode;
    this.#reusable = head.shouldKeepAlive && !head.upgrade;
    if (this.#reusable) this.#readKeepAlive(head.headers);
    // A HEAD response has no body, whatever its content-length says.
    return this.#target.request.head;
  }

  /** `Keep-Alive: timeout=N` from the server: stop reusing the connection a margin before it closes it. */
  #readKeepAlive(headers: string[]): void {
    for (let i = 0; i < headers.length; i += 2) {
      const name = headers[i];
      if (name.length !== 10 || name.toLowerCase() !== 'keep-alive') continue;
      const value = headers[i + 1];
      if (value === this.#lastKeepAlive) return;
      this.#lastKeepAlive = value;
      const match = KEEP_ALIVE_TIMEOUT.exec(value);
      if (match === null) return;
      this.#idleMs = Math.min(Number(match[1]) * 1000 - KEEP_ALIVE_MARGIN_MS, DEFAULT_IDLE_MS);
      return;
    }
  }

  #onMessageComplete(): void {
    const request = this.#request;
    if (request === null) return this.destroy(new ConnectionError('the server sent a response with no request outstanding', 'EPROTO'));
    // An interim response (100 Continue, 103 Early Hints): the final one follows on the same request.
    if (this.#status >= 100 && this.#status < 200 && this.#status !== 101) return;
    this.#request = null;
    request.connection = null;
    request.answered(this.#status);
    // Bytes after the response in the same read: the server answered more than it was asked. They would be read as
    // the next request's response, so the connection is not used again. http-parser-js keeps its position in the
    // chunk on itself; it has no public way to tell.
    const position = this.#parser as unknown as ParserPosition;
    if (!this.#reusable || this.#idleMs <= 0 || position.offset < position.end) {
      this.closing = true;
      this.#socket.destroy();
      return;
    }
    this.idleUntil = performance.now() + this.#idleMs;
    this.#owner.idle(this);
  }

  /** The server closed its side: a response delimited by the close ends here; any other request on it was reset. */
  #ended(): void {
    this.closing = true;
    if (this.#request !== null) this.#parser.finish();
  }

  #onClose(): void {
    this.#fail(this.#error ?? new ConnectionError('the server closed the connection before answering', 'ECONNRESET'));
    this.#owner.closed(this);
  }

  #fail(error: Error): void {
    const request = this.#request;
    if (request === null) return;
    this.#request = null;
    request.connection = null;
    request.failed(error);
  }
}

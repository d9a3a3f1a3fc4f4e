/**
 * The open-model driver's keep-alive connections to one origin (http1-connection.ts): a request goes on the most
 * recently used idle connection (so a small set stays warm and the rest reach their idle timeout), else on a new
 * one while fewer than `connections` are open, else it waits, first come first served, for the next connection to
 * come free. A request that reaches its deadline is abandoned: taken off its connection, which is closed (an
 * HTTP/1.1 request cannot be cancelled otherwise), or left behind in the queue.
 */
import { Http1Connection, type ConnectionOwner, type Http1Target } from './http1-connection.js';
import type { Http1Request } from './http1-request.js';
import { InFlightQueue } from './in-flight-queue.js';
import type { ScheduledRequest } from './scheduled-request.js';

/** Big enough for many responses per read; one per pool (http1-connection.ts). */
const READ_BUFFER_BYTES = 64 * 1024;

class TimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
}

export class Http1Pool implements ConnectionOwner {
  readonly #target: Http1Target;
  readonly #limit: number;
  /** Idle connections, the most recently used last (so also in the order they fell idle). */
  readonly #idle: Http1Connection[] = [];
  readonly #open = new Set<Http1Connection>();
  /** Requests waiting for a connection; abandoned ones are skipped when they come up. */
  readonly #waiting = new InFlightQueue<ScheduledRequest>();
  #destroyed = false;

  constructor(url: URL, request: Http1Request, connections: number) {
    this.#target = { url, request, readBuffer: Buffer.allocUnsafe(READ_BUFFER_BYTES) };
    this.#limit = connections;
  }

  send(request: ScheduledRequest, now: number): void {
    const idle = this.#takeIdle(now);
    if (idle !== null) idle.send(request);
    else if (this.#open.size < this.#limit) this.#connect().send(request);
    else this.#waiting.push(request);
  }

  /** The request is past its deadline: it ends now, and its connection, if it had one, is closed. */
  abandon(request: ScheduledRequest): void {
    const error = new TimeoutError('request timed out');
    if (request.connection !== null) request.connection.destroy(error);
    else request.failed(error);
  }

  /** Closes every connection; requests still on them or waiting end with an error. */
  destroy(): void {
    this.#destroyed = true;
    for (let request = this.#waiting.shift(); request !== undefined; request = this.#waiting.shift()) request.failed(new Error('load stopped'));
    for (const connection of this.#open) connection.destroy(new Error('load stopped'));
  }

  idle(connection: Http1Connection): void {
    const next = this.#nextWaiting();
    if (next !== undefined) connection.send(next);
    else this.#idle.push(connection);
  }

  closed(connection: Http1Connection): void {
    this.#open.delete(connection);
    const at = this.#idle.indexOf(connection);
    if (at >= 0) this.#idle.splice(at, 1);
    if (this.#destroyed) return;
    const next = this.#nextWaiting();
    if (next !== undefined) this.#connect().send(next);
  }

  #connect(): Http1Connection {
    const connection = new Http1Connection(this.#target, this);
    this.#open.add(connection);
    return connection;
  }

  /**
   * The most recently used idle connection still within its keep-alive time. Connections idle the longest are at
   * the front: those past their time are closed on the way (they would be the server's to close otherwise).
   */
  #takeIdle(now: number): Http1Connection | null {
    while (this.#idle.length > 0 && this.#idle[0].idleUntil <= now) this.#idle.shift()!.destroy(new Error('idle'));
    for (let connection = this.#idle.pop(); connection !== undefined; connection = this.#idle.pop()) {
      if (connection.idleUntil > now && !connection.closing) return connection;
      connection.destroy(new Error('idle'));
    }
    return null;
  }

  #nextWaiting(): ScheduledRequest | undefined {
    for (let request = this.#waiting.shift(); request !== undefined; request = this.#waiting.shift()) {
      if (!request.released) return request;
    }
    return undefined;
  }
}

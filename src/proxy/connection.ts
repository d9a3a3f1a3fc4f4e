/**
 * One client connection through a proxy: the client socket, the socket to the upstream, and a link each way
 * (`upstream`: client → server, `downstream`: server → client). When either link's output ends, the whole
 * connection closes, as in Toxiproxy (Go closes the TCP connection both ways): pending writes are flushed first.
 */
import type { Socket } from 'node:net';
import { Link } from './link.js';
import type { HostPort } from './address.js';
import type { UpstreamSocket } from './upstream-socket.js';
import type { Stream } from './toxic-types.js';
import type { ToxicDefinition } from './toxics/create-stage.js';

export interface NamedToxic extends ToxicDefinition {
  name: string;
  stream: Stream;
  /** The stream as the client wrote it, shown back by the API (Toxiproxy keeps `UPSTREAM` as written). */
  streamText?: string;
}

export class ProxyConnection {
  readonly #links: Record<Stream, Link>;
  #closed = false;

  readonly #upstream: Socket;

  readonly #client: Socket;
  readonly #onClosed: (connection: ProxyConnection) => void;

  constructor(
    client: Socket,
    upstreamSocket: UpstreamSocket,
    upstreamAddress: HostPort,
    toxics: readonly NamedToxic[],
    onClosed: (connection: ProxyConnection) => void,
  ) {
    this.#client = client;
    this.#onClosed = onClosed;
    client.setNoDelay(true);
    const upstream = upstreamSocket.dial(upstreamAddress, (data, release) => this.#links.downstream.receive(data, release));
    this.#upstream = upstream;
    const control = { reset: () => this.reset() };
    this.#links = {
      upstream: new Link(client, upstream, control, () => this.close()),
      downstream: new Link(upstream, client, control, () => this.close(), true),
    };
    for (const toxic of toxics) this.#links[toxic.stream].addToxic(toxic.name, toxic);
    // A refused upstream, a reset client: nothing more can flow, close both sides.
    client.on('error', () => this.destroy());
    upstream.on('error', () => this.destroy());
    client.on('close', () => this.#finished());
    upstream.on('close', () => this.#finished());
  }

  addToxic(toxic: NamedToxic): void {
    this.#links[toxic.stream].addToxic(toxic.name, toxic);
  }

  removeToxic(toxic: NamedToxic): void {
    this.#links[toxic.stream].removeToxic(toxic.name);
  }

  updateToxic(toxic: NamedToxic): void {
    this.#links[toxic.stream].updateToxic(toxic.name, toxic);
  }

  /** Closes both sockets after what was written to them is flushed. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeAfterFlush(this.#client);
    closeAfterFlush(this.#upstream);
  }

  /** Closes both sockets at once (the proxy was disabled or deleted). */
  destroy(): void {
    this.#closed = true;
    this.#client.destroy();
    this.#upstream.destroy();
  }

  /** Closes both sockets with a TCP RST. */
  reset(): void {
    this.#closed = true;
    for (const socket of [this.#client, this.#upstream]) {
      if (socket.destroyed) continue;
      // resetAndDestroy needs a connected socket; one still connecting is simply destroyed.
      if (socket.readyState === 'open' || socket.readyState === 'readOnly' || socket.readyState === 'writeOnly') {
        socket.resetAndDestroy();
      } else {
        socket.destroy();
      }
    }
  }

  /** Both sockets are gone: the links close the connection themselves, this only releases it. */
  #finished(): void {
    if (!this.#client.destroyed || !this.#upstream.destroyed) return;
    this.#links.upstream.dispose();
    this.#links.downstream.dispose();
    this.#onClosed(this);
  }
}

/**
 * A socket with nothing left to write is closed at once, as Go's Close does (the kernel still sends what it holds,
 * then FIN); one with writes pending is ended after them. Profiled: ending every socket (shutdown, then close once
 * `finish` came) cost two system calls and a round of stream events per connection, on the way of the next one.
 */
function closeAfterFlush(socket: Socket): void {
  if (socket.writableLength === 0 && !socket.connecting) socket.destroy();
  else socket.destroySoon();
}

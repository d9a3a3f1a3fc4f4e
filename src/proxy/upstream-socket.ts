/**
 * The socket a proxied connection dials its upstream with. It reads into pooled buffers sized to the stream
 * (read-buffers.ts): the bulk of proxied bytes usually flows downstream, and this is where the proxy spent most of
 * its time per byte.
 *
 * A proxy builds the next one before a client arrives (`SpareUpstreamSocket`): an unconnected net.Socket is only a
 * JavaScript object (no file descriptor, nothing sent), and building one was, profiled, about half of the work
 * between accepting a client and sending the SYN to its upstream, which every connection waits for.
 */
import { Socket, type SocketConstructorOpts, type TcpSocketConnectOpts } from 'node:net';
import type { HostPort } from './address.js';
import { ReadSizer, type ReadBufferPool } from './read-buffers.js';

/** Receives what the upstream sent, in a lent buffer handed back with `release`. */
export type UpstreamBytes = (data: Buffer, release: () => void) => void;

export class UpstreamSocket {
  readonly socket: Socket;
  #receiver: UpstreamBytes | null = null;
  /** The buffer the socket reads into next; back to the pool when the socket is closed. */
  #reading: Buffer | null = null;

  constructor(buffers: ReadBufferPool) {
    const sizer = new ReadSizer();
    // `onread` is an option of the constructor (since Node 12.10; Node's docs list it under `new net.Socket()` since
    // nodejs/node#55112), not of socket.connect(), which ignores it; the @types/node in use lists it on connect only.
    const options: SocketConstructorOpts & Pick<TcpSocketConnectOpts, 'onread'> = {
      // The connection closes both sockets itself when a link ends (connection.ts).
      allowHalfOpen: true,
      onread: {
        buffer: () => (this.#reading = buffers.take(sizer.size)),
        callback: (n: number, buffer: Uint8Array) => {
          const lent = buffer as Buffer;
          sizer.observe(n, lent.length);
          this.#receiver!(lent.subarray(0, n), () => buffers.release(lent));
          return true;
        },
      },
    };
    this.socket = new Socket(options);
    // Kept until the socket connects, then applied (Go sets TCP_NODELAY on every connection, as Toxiproxy does).
    this.socket.setNoDelay(true);
    this.socket.once('close', () => {
      // The handle is closed: nothing reads into the buffer any more.
      if (this.#reading) buffers.release(this.#reading);
      this.#reading = null;
    });
  }

  /** Dials `address`; what the upstream sends goes to `receiver`. */
  dial(address: HostPort, receiver: UpstreamBytes): Socket {
    this.#receiver = receiver;
    return this.socket.connect({ host: address.host, port: address.port });
  }
}

/**
 * One upstream socket built ahead, per proxy. The next is built once the one taken has connected and what waited
 * for that was written (setImmediate): the proxy then waits for the upstream's answer anyway, and building it does
 * not delay the SYN, nor the first bytes sent upstream.
 */
export class SpareUpstreamSocket {
  #spare: UpstreamSocket | null = null;
  readonly #refill = () => setImmediate(() => (this.#spare ??= new UpstreamSocket(this.#buffers)));

  readonly #buffers: ReadBufferPool;

  constructor(buffers: ReadBufferPool) {
    this.#buffers = buffers;
  }

  take(): UpstreamSocket {
    const taken = this.#spare ?? new UpstreamSocket(this.#buffers);
    this.#spare = null;
    taken.socket.once('connect', this.#refill);
    return taken;
  }
}

/**
 * Real TCP endpoints on loopback for the proxy tests: an echo server and a server that sends a fixed payload, and a
 * client that records what it received, in which pieces, when, and how the connection ended.
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface TcpServer {
  port: number;
  address: string;
  /** Sockets accepted so far (for servers that must be closed from the test). */
  sockets: Set<Socket>;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<TcpServer> {
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    address: `127.0.0.1:${port}`,
    sockets,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Echoes every byte back. */
export function startEchoServer(): Promise<TcpServer> {
  return listen(createServer((s) => s.pipe(s)));
}

/** Counts the bytes it receives, over all connections. */
export async function startSinkServer(): Promise<TcpServer & { received(): number }> {
  let received = 0;
  const server = await listen(createServer((s) => s.on('data', (d: Buffer) => (received += d.length))));
  return { ...server, received: () => received };
}

/** Sends `payload` to each client as soon as it connects, then keeps the connection open (or closes it with `end`). */
export function startPayloadServer(payload: Buffer, options: { end?: boolean } = {}): Promise<TcpServer> {
  return listen(
    createServer((s) => {
      if (options.end) s.end(payload);
      else s.write(payload);
    }),
  );
}

export interface ClientRecord {
  socket: Socket;
  /** Each `data` event: its size and when it arrived (ms since connect was called). */
  pieces: { size: number; at: number }[];
  received(): Buffer;
  /** Resolves when the socket closed: how (end = FIN from the peer, error code such as ECONNRESET) and when. */
  closed: Promise<{ at: number; error: string | null; sawEnd: boolean }>;
  connected: Promise<number>;
  startedAt: number;
}

/** Connects to 127.0.0.1:port and records everything. The socket is destroyed when a test calls `destroy()`. */
export function recordClient(port: number): ClientRecord {
  const startedAt = performance.now();
  const socket = connect({ host: '127.0.0.1', port, noDelay: true });
  const pieces: ClientRecord['pieces'] = [];
  const buffers: Buffer[] = [];
  let error: string | null = null;
  let sawEnd = false;
  socket.on('data', (d: Buffer) => {
    pieces.push({ size: d.length, at: performance.now() - startedAt });
    buffers.push(d);
  });
  socket.on('end', () => (sawEnd = true));
  socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
  const closed = new Promise<{ at: number; error: string | null; sawEnd: boolean }>((resolve) =>
    socket.on('close', () => resolve({ at: performance.now() - startedAt, error, sawEnd })),
  );
  const connected = new Promise<number>((resolve) => socket.once('connect', () => resolve(performance.now() - startedAt)));
  return { socket, pieces, received: () => Buffer.concat(buffers), closed, connected, startedAt };
}

/** Waits until `n` bytes arrived on the client (or rejects after `timeoutMs`). */
export async function waitForBytes(client: ClientRecord, n: number, timeoutMs = 10_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (client.received().length < n) {
    if (performance.now() > deadline) throw new Error(`only ${client.received().length} of ${n} bytes arrived within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
  return performance.now() - client.startedAt;
}

/** One round trip on a connected socket: writes `message`, resolves with the ms until the echo came back. */
export function echoRoundTrip(socket: Socket, message: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let got = 0;
    const onData = (d: Buffer) => {
      got += d.length;
      if (got >= message.length) {
        socket.off('data', onData);
        socket.off('error', reject);
        resolve(performance.now() - started);
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(message);
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

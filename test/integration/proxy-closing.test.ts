/**
 * How the embedded proxy closes a connection: when one side closes, what it sent just before still arrives whole
 * at the other side, which then sees an orderly end (FIN, not a reset). The proxy closes a socket with nothing left
 * to write at once, and one with writes pending only after them (connection.ts).
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { Toxiproxy } from 'toxiproxy-node-client';
import { parseHostPort } from '../../src/proxy/address.js';
import { startToxiproxyServer, type ToxiproxyServer } from '../../src/proxy/server.js';
import { recordClient, startPayloadServer, type ClientRecord, type TcpServer } from '../support/proxy-net.js';

/** More than the sockets' buffers hold, so that part of it is still waiting to be written when the sender closes. */
const BURST = 16 * 1024 * 1024;

/**
 * A server that keeps what each connection sent, and tells how that connection ended; `readAfterMs`: it reads
 * nothing for that long after accepting (so that the proxy's writes to it queue up).
 */
async function startRecordingServer(options: { readAfterMs?: number } = {}): Promise<{ port: number; close(): Promise<void>; next: Promise<{ bytes: Buffer; sawEnd: boolean; error: string | null }> }> {
  const sockets = new Set<Socket>();
  let resolveNext!: (value: { bytes: Buffer; sawEnd: boolean; error: string | null }) => void;
  const next = new Promise<{ bytes: Buffer; sawEnd: boolean; error: string | null }>((resolve) => (resolveNext = resolve));
  const server = createServer((socket) => {
    sockets.add(socket);
    if (options.readAfterMs !== undefined) {
      socket.pause();
      setTimeout(() => socket.resume(), options.readAfterMs);
    }
    const chunks: Buffer[] = [];
    let sawEnd = false;
    let error: string | null = null;
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('end', () => (sawEnd = true));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => {
      sockets.delete(socket);
      resolveNext({ bytes: Buffer.concat(chunks), sawEnd, error });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    next,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('embedded proxy: closing a connection', function () {
  this.timeout(30_000);
  let server: ToxiproxyServer;
  let toxiproxy: Toxiproxy;
  const cleanups: (() => unknown)[] = [];

  beforeEach(async () => {
    server = await startToxiproxyServer({ host: '127.0.0.1', port: 0 });
    toxiproxy = new Toxiproxy(server.url);
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    await server.close();
  });

  async function proxyTo(port: number): Promise<number> {
    const proxy = await toxiproxy.createProxy({ name: `p${port}`, listen: '127.0.0.1:0', upstream: `127.0.0.1:${port}` });
    return parseHostPort(proxy.listen)!.port;
  }

  function client(port: number): ClientRecord {
    const c = recordClient(port);
    cleanups.push(() => c.socket.destroy());
    return c;
  }

  it('a burst the upstream writes and closes at once reaches the client whole, then an orderly end', async () => {
    const payload = randomBytes(BURST);
    const upstream: TcpServer = await startPayloadServer(payload, { end: true });
    cleanups.push(() => upstream.close());
    const c = client(await proxyTo(upstream.port));
    const closed = await c.closed;
    expect(closed.error, 'the client was reset').to.equal(null);
    expect(closed.sawEnd).to.equal(true);
    expect(c.received().length).to.equal(payload.length);
    expect(c.received().equals(payload)).to.equal(true);
  });

  it('a burst the client writes and closes at once reaches the upstream whole, then an orderly end', async () => {
    const upstream = await startRecordingServer();
    cleanups.push(() => upstream.close());
    const c = client(await proxyTo(upstream.port));
    const payload = randomBytes(BURST);
    await c.connected;
    c.socket.end(payload);
    const got = await upstream.next;
    expect(got.error, 'the upstream was reset').to.equal(null);
    expect(got.sawEnd).to.equal(true);
    expect(got.bytes.length).to.equal(payload.length);
    expect(got.bytes.equals(payload)).to.equal(true);
    expect((await c.closed).error, 'the client was reset').to.equal(null);
  });

  it('limit_data closes the connection after exactly its bytes, also to an upstream that starts reading late', async () => {
    const upstream = await startRecordingServer({ readAfterMs: 300 });
    cleanups.push(() => upstream.close());
    const proxy = await toxiproxy.createProxy({ name: 'limited', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream.port}` });
    await proxy.addToxic({ name: 'limit', type: 'limit_data', stream: 'upstream', toxicity: 1, attributes: { bytes: BURST / 2 } });
    const c = client(parseHostPort(proxy.listen)!.port);
    const payload = randomBytes(BURST);
    c.socket.write(payload);
    const got = await upstream.next;
    expect(got.error, 'the upstream was reset').to.equal(null);
    expect(got.bytes.length).to.equal(BURST / 2);
    expect(got.bytes.equals(payload.subarray(0, BURST / 2))).to.equal(true);
  });

  it('a request the client sends with its FIN right behind, as it connects, arrives whole at the upstream', async () => {
    const upstream = await startRecordingServer();
    cleanups.push(() => upstream.close());
    const c = client(await proxyTo(upstream.port));
    // Usually read before the proxy's own connection to the upstream is up: that write waits for it, then the end.
    c.socket.end(Buffer.from('request and goodbye'));
    const got = await upstream.next;
    expect(got.bytes.toString()).to.equal('request and goodbye');
    expect(got.sawEnd).to.equal(true);
    expect((await c.closed).error, 'the client was reset').to.equal(null);
  });
});

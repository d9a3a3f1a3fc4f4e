/**
 * Real bytes through the embedded proxy, measured at the client, for every toxic. Timing tolerances are generous
 * where the machine's load could stretch them (2 cores shared with other tests) and tight where the issue fixes
 * them (latency ± 5 ms at the median, bandwidth ± 10 %).
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { Toxiproxy, type Proxy as ClientProxy } from 'toxiproxy-node-client';
import { parseHostPort } from '../../src/proxy/address.js';
import { startToxiproxyServer, type ToxiproxyServer } from '../../src/proxy/server.js';
import {
  echoRoundTrip,
  median,
  recordClient,
  startEchoServer,
  startPayloadServer,
  startSinkServer,
  waitForBytes,
  type ClientRecord,
  type TcpServer,
} from '../support/proxy-net.js';

describe('embedded proxy toxics (real bytes, measured at the client)', function () {
  this.timeout(30_000);
  let server: ToxiproxyServer;
  let upstreams: TcpServer[];
  let clients: ClientRecord[];
  let toxiproxy: Toxiproxy;

  beforeEach(async () => {
    server = await startToxiproxyServer({ host: '127.0.0.1', port: 0 });
    toxiproxy = new Toxiproxy(server.url);
    upstreams = [];
    clients = [];
  });
  afterEach(async () => {
    for (const c of clients) c.socket.destroy();
    await server.close();
    for (const u of upstreams) await u.close();
  });

  async function proxyTo(upstream: TcpServer): Promise<{ proxy: ClientProxy; port: number }> {
    upstreams.push(upstream);
    const proxy = await toxiproxy.createProxy({ name: `p${upstreams.length}`, listen: '127.0.0.1:0', upstream: upstream.address });
    return { proxy, port: parseHostPort(proxy.listen)!.port };
  }

  function client(port: number): ClientRecord {
    const c = recordClient(port);
    clients.push(c);
    return c;
  }

  function toxic(proxy: ClientProxy, type: string, attributes: Record<string, number>, extra: { stream?: 'upstream' | 'downstream'; toxicity?: number } = {}) {
    return proxy.addToxic({
      name: `${type}-${extra.stream ?? 'downstream'}`,
      type: type as never,
      stream: extra.stream ?? 'downstream',
      toxicity: extra.toxicity ?? 1,
      attributes,
    });
  }

  /** Median round trip of `n` echoes of 32 bytes on one connection. */
  async function medianRoundTrip(port: number, n: number): Promise<{ median: number; all: number[] }> {
    const c = client(port);
    await c.connected;
    const all: number[] = [];
    for (let i = 0; i < n; i++) all.push(await echoRoundTrip(c.socket, randomBytes(32)));
    c.socket.destroy();
    return { median: median(all), all };
  }

  it('latency adds the configured delay within ±5 ms at the median, and jitter stays in range', async () => {
    const echo = await startEchoServer();
    const { proxy, port } = await proxyTo(echo);
    const direct = await medianRoundTrip(echo.port, 20);
    await toxic(proxy, 'latency', { latency: 50, jitter: 0 });
    const delayed = await medianRoundTrip(port, 20);
    expect(delayed.median - direct.median).to.be.within(45, 55);

    await (await proxy.getToxic('latency-downstream')).remove();
    await toxic(proxy, 'latency', { latency: 60, jitter: 20 });
    const jittered = await medianRoundTrip(port, 30);
    // latency ± jitter = 40..80 ms; the lower bound is exact (a chunk never leaves early), the upper one allows
    // 5 ms of timer and scheduling delay.
    for (const rtt of jittered.all) expect(rtt - direct.median).to.be.within(40 - 1, 80 + 5);
    // Some spread must show, or jitter was ignored.
    expect(Math.max(...jittered.all) - Math.min(...jittered.all)).to.be.above(10);
  });

  it('bandwidth delivers at the configured rate within 10%', async () => {
    const payload = randomBytes(400_000);
    const sender = await startPayloadServer(payload);
    const { proxy, port } = await proxyTo(sender);
    await toxic(proxy, 'bandwidth', { rate: 400 }); // 400 KB/s: 400 000 bytes take 1 s
    const c = client(port);
    const connectedAt = await c.connected;
    const doneAt = await waitForBytes(c, payload.length);
    const seconds = (doneAt - connectedAt) / 1000;
    expect(payload.length / 1000 / seconds).to.be.within(360, 440);
    expect(c.received().equals(payload)).to.equal(true);
  });

  it('timeout passes no data and closes the connection after the timeout', async () => {
    const echo = await startEchoServer();
    const { proxy, port } = await proxyTo(echo);
    await toxic(proxy, 'timeout', { timeout: 300 });
    const c = client(port);
    await c.connected;
    const sentAt = performance.now() - c.startedAt;
    c.socket.write('hello');
    const closed = await c.closed;
    expect(c.received().length).to.equal(0);
    // The echo reaches the toxic about 1 ms after the write and starts the 300 ms wait again.
    expect(closed.at - sentAt).to.be.within(295, 1_000);
  });

  it('timeout 0 holds the connection with no data until the toxic is removed, which closes it', async () => {
    const echo = await startEchoServer();
    const { proxy, port } = await proxyTo(echo);
    const held = await toxic(proxy, 'timeout', { timeout: 0 });
    const c = client(port);
    await c.connected;
    c.socket.write('hello');
    const outcome = await Promise.race([c.closed, new Promise((r) => setTimeout(() => r('open'), 600))]);
    expect(outcome).to.equal('open');
    expect(c.received().length).to.equal(0);
    await held.remove();
    const closed = await c.closed;
    expect(closed.error === null || closed.error === 'ECONNRESET').to.equal(true);
    expect(c.received().length).to.equal(0);
  });

  it('reset_peer gives the client ECONNRESET after the timeout', async () => {
    const echo = await startEchoServer();
    const { proxy, port } = await proxyTo(echo);
    await toxic(proxy, 'reset_peer', { timeout: 200 });
    const c = client(port);
    await c.connected;
    const sentAt = performance.now() - c.startedAt;
    c.socket.write('hello');
    const closed = await c.closed;
    expect(closed.error).to.equal('ECONNRESET');
    expect(closed.at - sentAt).to.be.within(195, 1_000);
    expect(c.received().length).to.equal(0);
  });

  it('limit_data closes the connection after exactly N bytes, downstream and upstream', async () => {
    const payload = randomBytes(10_000);
    const sender = await startPayloadServer(payload);
    const down = await proxyTo(sender);
    await toxic(down.proxy, 'limit_data', { bytes: 1234 });
    const c = client(down.port);
    const closed = await c.closed;
    expect(c.received().length).to.equal(1234);
    expect(c.received().equals(payload.subarray(0, 1234))).to.equal(true);
    expect(closed.sawEnd).to.equal(true);

    const sink = await startSinkServer();
    const up = await proxyTo(sink);
    await toxic(up.proxy, 'limit_data', { bytes: 100 }, { stream: 'upstream' });
    const e = client(up.port);
    await e.connected;
    e.socket.write(randomBytes(1_000));
    await e.closed;
    await new Promise((r) => setTimeout(r, 50)); // the sink reads what was flushed before the close
    expect(sink.received()).to.equal(100);
  });

  it('slicer delivers the bytes intact in smaller chunks', async () => {
    const payload = randomBytes(10_000);
    const sender = await startPayloadServer(payload);
    const { proxy, port } = await proxyTo(sender);
    await toxic(proxy, 'slicer', { average_size: 100, size_variation: 20, delay: 1_000 });
    const c = client(port);
    await waitForBytes(c, payload.length);
    expect(c.received().equals(payload)).to.equal(true);
    const sizes = c.pieces.map((p) => p.size);
    // About 100 slices of 80..120 bytes; reads may merge two slices when the machine is busy, rarely more.
    expect(sizes.length).to.be.above(40);
    expect(median(sizes)).to.be.at.most(120);
  });

  it('slow_close delays the close', async () => {
    const sender = await startPayloadServer(Buffer.from('bye'), { end: true });
    const { proxy, port } = await proxyTo(sender);
    const quick = client(port);
    const quickClose = await quick.closed;
    expect(quickClose.at).to.be.below(300);

    await toxic(proxy, 'slow_close', { delay: 500 });
    const slow = client(port);
    const slowClose = await slow.closed;
    expect(slow.received().toString()).to.equal('bye');
    expect(slowClose.at).to.be.within(500, 2_000);
  });

  it('a disabled proxy refuses new connections and cuts existing ones; enabling it serves again', async () => {
    const echo = await startEchoServer();
    const { proxy, port } = await proxyTo(echo);
    const open = client(port);
    await open.connected;
    expect(await echoRoundTrip(open.socket, Buffer.from('ping'))).to.be.below(1_000);

    const disabled = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    const cut = await Promise.race([open.closed, new Promise((r) => setTimeout(() => r('still open'), 2_000))]);
    expect(cut).to.not.equal('still open');
    const refused = client(port);
    expect((await refused.closed).error).to.equal('ECONNREFUSED');

    await disabled.update({ enabled: true, listen: disabled.listen, upstream: disabled.upstream });
    const again = client(port);
    await again.connected;
    expect(await echoRoundTrip(again.socket, Buffer.from('ping'))).to.be.below(1_000);
  });

  it('a toxic with toxicity 0 never applies', async () => {
    const echo = await startEchoServer();
    const { proxy, port } = await proxyTo(echo);
    await toxic(proxy, 'latency', { latency: 300 }, { toxicity: 0 });
    for (let i = 0; i < 20; i++) {
      const { median: rtt } = await medianRoundTrip(port, 1);
      expect(rtt, `connection ${i}`).to.be.below(150);
    }
  });

  it('applies a toxic to open connections and, once removed, delivers what it held at once', async () => {
    const echo = await startEchoServer();
    const { proxy, port } = await proxyTo(echo);
    const c = client(port);
    await c.connected;
    expect(await echoRoundTrip(c.socket, Buffer.from('a'))).to.be.below(100);
    const latency = await toxic(proxy, 'latency', { latency: 2_000 });
    const pending = echoRoundTrip(c.socket, Buffer.from('b'));
    await new Promise((r) => setTimeout(r, 200));
    await latency.remove();
    // Held for 2 s by the toxic, released when it was removed after ~200 ms.
    expect(await pending).to.be.within(150, 1_500);
  });
});

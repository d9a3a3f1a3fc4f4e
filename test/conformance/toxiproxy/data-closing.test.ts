/**
 * The toxics that end connections, measured at a client through the real Toxiproxy 2.12 and through the embedded
 * proxy in the same run: limit_data (exact byte counts, both directions), timeout (when the close comes, and 0
 * holding the connection), reset_peer (an RST, and when), slow_close (data at once, the FIN late).
 *
 * Tolerances as in data-timing: each close within its stated window of the toxic's value, both servers alike.
 */
import { expect } from 'chai';
import { recordClient, startPayloadServer, type TcpServer } from '../../support/proxy-net.js';
import { describeConformance } from './support/conformance.js';
import { observe, proxyWith } from './support/through.js';

describeConformance('conformance: closing toxics measured at the client, against the real Toxiproxy', (suite) => {
  let payload: TcpServer;
  let ending: TcpServer;
  before(async () => {
    payload = await startPayloadServer(Buffer.alloc(5000, 3));
    ending = await startPayloadServer(Buffer.alloc(1000, 4), { end: true });
  });
  after(async () => {
    await payload?.close();
    await ending?.close();
  });

  const within = (value: number, low: number, high: number, what: string) => expect(value, what).to.be.within(low, high);

  it('limit_data 1000 bytes downstream: the client gets exactly 1000 of 5000 bytes, then the connection closes', async () => {
    const seen = await suite.both(async (s) => {
      const port = await proxyWith(s, payload.address, [{ type: 'limit_data', attributes: { bytes: 1000 } }]);
      const { client, closed } = await observe(port, 2000);
      return { bytes: client.received().length, closed: closed !== null };
    });
    expect(seen.embedded).to.deep.equal(seen.real);
    expect(seen.real).to.deep.equal({ bytes: 1000, closed: true });
  });

  it('limit_data 100 bytes upstream: 60 bytes echo back, then sending 440 more closes the connection after the 100th byte', async () => {
    // The last 40 bytes reach the echo server, but the proxy closes the upstream socket at once: whether their echo
    // still gets back is a race on the real server (usually not). Both servers must deliver the first 60 and close.
    const seen = await suite.both(async (s) => {
      const port = await proxyWith(s, suite.echo.address, [{ type: 'limit_data', stream: 'upstream', attributes: { bytes: 100 } }]);
      const client = recordClient(port);
      await client.connected;
      client.socket.on('error', () => undefined);
      client.socket.write(Buffer.alloc(60, 5));
      await new Promise((r) => setTimeout(r, 100));
      client.socket.write(Buffer.alloc(440, 6));
      const closed = await Promise.race([client.closed, new Promise<null>((r) => setTimeout(() => r(null), 2000))]);
      client.socket.destroy();
      return { bytes: client.received().length, closed: closed !== null };
    });
    for (const [kind, { bytes, closed }] of Object.entries(seen)) {
      expect(closed, `${kind} closed`).to.equal(true);
      expect(bytes, `${kind} bytes`).to.be.within(60, 100);
    }
  });

  /** For each value of one attribute: the bytes a client got from the payload server and whether it was closed. */
  const outcomes = (type: string, attribute: string, values: number[], waitMs: number) =>
    suite.both(async (s) => {
      const out: { bytes: number; closed: boolean }[] = [];
      for (const [i, value] of values.entries()) {
        const port = await proxyWith(s, payload.address, [{ type, attributes: { [attribute]: value } }], `p${i}`);
        const { client, closed } = await observe(port, waitMs);
        out.push({ bytes: client.received().length, closed: closed !== null });
      }
      return out;
    });

  it('limit_data 0 or negative: the connection closes with no data', async () => {
    const seen = await outcomes('limit_data', 'bytes', [0, -1], 2000);
    expect(seen.embedded).to.deep.equal(seen.real);
    expect(seen.real).to.deep.equal([{ bytes: 0, closed: true }, { bytes: 0, closed: true }]);
  });

  it('timeout 300 ms: no data passes and the connection closes 300 ms after (each within 280..550 ms)', async () => {
    const seen = await suite.both(async (s) => {
      const port = await proxyWith(s, payload.address, [{ type: 'timeout', attributes: { timeout: 300 } }]);
      const { client, closed, connectedAt } = await observe(port, 2000);
      return { bytes: client.received().length, closedAfter: closed === null ? null : closed.at - connectedAt };
    });
    for (const [kind, { bytes, closedAfter }] of Object.entries(seen)) {
      expect(bytes, kind).to.equal(0);
      within(closedAfter ?? Infinity, 280, 550, `${kind} close`);
    }
  });

  it('timeout 0 (and negative): no data passes and the connection stays open', async () => {
    const seen = await outcomes('timeout', 'timeout', [0, -5], 700);
    expect(seen.embedded).to.deep.equal(seen.real);
    expect(seen.real).to.deep.equal([{ bytes: 0, closed: false }, { bytes: 0, closed: false }]);
  });

  it('reset_peer 200 ms upstream: data sent is dropped and the client gets ECONNRESET 200 ms after sending (each within 180..450 ms)', async () => {
    const seen = await suite.both(async (s) => {
      const port = await proxyWith(s, suite.echo.address, [{ type: 'reset_peer', stream: 'upstream', attributes: { timeout: 200 } }]);
      const { client, closed, connectedAt } = await observe(port, 2000, Buffer.from('hello'));
      return { bytes: client.received().length, error: closed?.error ?? null, after: closed === null ? null : closed.at - connectedAt };
    });
    for (const [kind, { bytes, error, after }] of Object.entries(seen)) {
      expect({ bytes, error }, kind).to.deep.equal({ bytes: 0, error: 'ECONNRESET' });
      within(after ?? Infinity, 180, 450, `${kind} reset`);
    }
  });

  it('reset_peer on a connection where nothing is sent: the same on both (reset or not within 600 ms)', async () => {
    const seen = await suite.both(async (s) => {
      const port = await proxyWith(s, suite.echo.address, [{ type: 'reset_peer', stream: 'upstream', attributes: { timeout: 100 } }]);
      const { closed } = await observe(port, 600);
      return closed?.error ?? (closed === null ? 'open' : 'closed');
    });
    expect(seen.embedded).to.equal(seen.real);
  });

  it('reset_peer 0 downstream: the client is reset as soon as the upstream sends', async () => {
    const seen = await suite.both(async (s) => {
      const port = await proxyWith(s, payload.address, [{ type: 'reset_peer', attributes: { timeout: 0 } }]);
      const { client, closed } = await observe(port, 1000);
      return { bytes: client.received().length, error: closed?.error ?? null };
    });
    expect(seen.embedded).to.deep.equal(seen.real);
    expect(seen.real).to.deep.equal({ bytes: 0, error: 'ECONNRESET' });
  });

  it('slow_close 300 ms: the data arrives at once, the end of the stream 300 ms later (each within 280..550 ms)', async () => {
    const seen = await suite.both(async (s) => {
      const port = await proxyWith(s, ending.address, [{ type: 'slow_close', attributes: { delay: 300 } }]);
      const { client, closed, connectedAt } = await observe(port, 2000);
      const start = connectedAt;
      return { bytes: client.received().length, dataAt: client.pieces.at(-1)!.at - start, endAt: closed === null ? null : closed.at - start, sawEnd: closed?.sawEnd ?? false };
    });
    for (const [kind, { bytes, dataAt, endAt, sawEnd }] of Object.entries(seen)) {
      expect({ bytes, sawEnd }, kind).to.deep.equal({ bytes: 1000, sawEnd: true });
      within(dataAt, 0, 100, `${kind} data`);
      within(endAt ?? Infinity, 280, 550, `${kind} end`);
    }
  });
});

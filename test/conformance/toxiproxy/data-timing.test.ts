/**
 * The timing toxics measured at a client, through the real Toxiproxy 2.12 and through the embedded proxy, in the
 * same run: latency (both directions, with jitter, and chunks in flight), bandwidth, slicer slice sizes and delays,
 * toxicity, and a toxic added to an open connection.
 *
 * Tolerances: the machine is shared (other test runs load its 2 cores), so a timer may fire tens of milliseconds
 * late on either side. Each measured time must be within its stated window of the toxic's value, and the two
 * servers within a window of each other; the windows are wide enough for that noise and narrow enough that a toxic
 * applied twice, not applied, or applied in the wrong direction fails.
 */
import { expect } from 'chai';
import { performance } from 'node:perf_hooks';
import { echoRoundTrip, recordClient, startPayloadServer, type TcpServer } from '../../support/proxy-net.js';
import { describeConformance } from './support/conformance.js';
import { median, observe, proxyWith, roundTrips } from './support/through.js';

describeConformance('conformance: timing toxics measured at the client, against the real Toxiproxy', (suite) => {
  let payload: TcpServer;
  const PAYLOAD = Buffer.alloc(50_000, 7);
  before(async () => {
    payload = await startPayloadServer(PAYLOAD);
  });
  after(async () => {
    await payload?.close();
  });

  const within = (value: number, low: number, high: number, what: string) => expect(value, what).to.be.within(low, high);

  for (const stream of ['downstream', 'upstream'] as const) {
    it(`latency 100 ms on ${stream}: each echo round trip takes 100 ms more (median of 8; each within 95..170 ms, the two within 40 ms)`, async () => {
      const rtt = await suite.both(async (s) => median(await roundTrips(await proxyWith(s, suite.echo.address, [{ type: 'latency', stream, attributes: { latency: 100 } }]), 8)));
      within(rtt.real, 95, 170, 'real');
      within(rtt.embedded, 95, 170, 'embedded');
      within(rtt.embedded - rtt.real, -40, 40, 'embedded - real');
    });
  }

  it('latency 60 ms ± 30 ms jitter: round trips spread over 30..90 ms on both (40 samples; medians within 25 ms)', async () => {
    const rtts = await suite.both(async (s) => roundTrips(await proxyWith(s, suite.echo.address, [{ type: 'latency', attributes: { latency: 60, jitter: 30 } }]), 40));
    for (const [kind, samples] of Object.entries(rtts)) {
      const sorted = [...samples].sort((a, b) => a - b);
      within(sorted[0]!, 29, 60, `${kind} fastest`);
      within(sorted.at(-3)!, 60, 130, `${kind} third slowest`);
      within(sorted.at(-3)! - sorted[2]!, 20, 100, `${kind} spread`);
    }
    within(median(rtts.embedded) - median(rtts.real), -25, 25, 'medians, embedded - real');
  });

  it('latency 150 ms with chunks sent 30 ms apart: each arrives 150 ms after it was sent, not one wait after another', async () => {
    const arrivals = await suite.both(async (s) => {
      const port = await proxyWith(s, suite.echo.address, [{ type: 'latency', attributes: { latency: 150 } }]);
      const sentAt: number[] = [];
      const watch = recordClient(port);
      await watch.connected;
      for (let i = 0; i < 5; i++) {
        sentAt.push(performance.now() - watch.startedAt);
        watch.socket.write(Buffer.alloc(10, i));
        await new Promise((r) => setTimeout(r, 30));
      }
      await new Promise((r) => setTimeout(r, 400));
      watch.socket.destroy();
      // Bytes 10k..10k+9 are the k-th chunk; find when its last byte arrived.
      let total = 0;
      const doneAt: number[] = [];
      for (const piece of watch.pieces) {
        total += piece.size;
        while (doneAt.length < 5 && total >= (doneAt.length + 1) * 10) doneAt.push(piece.at);
      }
      return doneAt.map((at, k) => at - sentAt[k]!);
    });
    for (const [kind, delays] of Object.entries(arrivals)) {
      expect(delays, kind).to.have.length(5);
      for (const delay of delays) within(delay, 145, 230, `${kind} delay of a chunk`);
    }
  });

  it('bandwidth 100 KB/s: 50 000 bytes take 500 ms (each within 420..800 ms, the two within 150 ms)', async () => {
    const took = await suite.both(async (s) => {
      const port = await proxyWith(s, payload.address, [{ type: 'bandwidth', attributes: { rate: 100 } }]);
      const { client, connectedAt } = await observe(port, 1500);
      const last = client.pieces.at(-1);
      expect(client.received().length, s.kind).to.equal(PAYLOAD.length);
      return last!.at - connectedAt;
    });
    within(took.real, 420, 800, 'real');
    within(took.embedded, 420, 800, 'embedded');
    within(took.embedded - took.real, -150, 150, 'embedded - real');
  });

  it('slicer average 100, no variation, delay 20 ms: 1000 bytes arrive as 16 slices of 62 or 63 bytes over about 320 ms on both', async () => {
    const seen = await suite.both(async (s) => {
      const upstream = await startPayloadServer(Buffer.alloc(1000, 1));
      try {
        const port = await proxyWith(s, upstream.address, [{ type: 'slicer', attributes: { average_size: 100, size_variation: 0, delay: 20_000 } }]);
        const { client, connectedAt } = await observe(port, 800);
        const start = connectedAt;
        return { sizes: client.pieces.map((p) => p.size), took: client.pieces.at(-1)!.at - start };
      } finally {
        await upstream.close();
      }
    });
    for (const [kind, { sizes, took }] of Object.entries(seen)) {
      expect(sizes.reduce((a, b) => a + b, 0), `${kind} bytes`).to.equal(1000);
      // A late read on a loaded machine may merge two slices (125 bytes); most arrive alone.
      expect(sizes.filter((n) => n === 62 || n === 63).length, `${kind} slices of 62/63: ${sizes.join(' ')}`).to.be.at.least(12);
      expect(sizes.every((n) => n === 62 || n === 63 || n === 125), `${kind} sizes ${sizes.join(' ')}`).to.equal(true);
      within(took, 250, 600, `${kind} time to the last slice`);
    }
  });

  it('slicer average 50 ± 20 bytes, delay 10 ms: slices of 30..70 bytes on both', async () => {
    const seen = await suite.both(async (s) => {
      const upstream = await startPayloadServer(Buffer.alloc(2000, 1));
      try {
        const port = await proxyWith(s, upstream.address, [{ type: 'slicer', attributes: { average_size: 50, size_variation: 20, delay: 10_000 } }]);
        return (await observe(port, 1500)).client.pieces.map((p) => p.size);
      } finally {
        await upstream.close();
      }
    });
    for (const [kind, sizes] of Object.entries(seen)) {
      expect(sizes.reduce((a, b) => a + b, 0), `${kind} bytes`).to.equal(2000);
      const alone = sizes.filter((n) => n <= 70);
      expect(alone.length, `${kind}: ${sizes.join(' ')}`).to.be.at.least(sizes.length * 0.8);
      expect(Math.min(...sizes), `${kind} smallest`).to.be.at.least(15);
      expect(sizes.length, `${kind} slices`).to.be.within(25, 70);
    }
  });

  it('slicer average 1000 ± 1000 bytes (variation up to average + 1 is safe on the real server): 20 000 bytes all arrive on both', async () => {
    const bytes = await suite.both(async (s) => {
      const upstream = await startPayloadServer(Buffer.alloc(20_000, 1));
      try {
        const port = await proxyWith(s, upstream.address, [{ type: 'slicer', attributes: { average_size: 1000, size_variation: 1000, delay: 1000 } }]);
        const { client } = await observe(port, 1000);
        return client.received().length;
      } finally {
        await upstream.close();
      }
    });
    expect(bytes).to.deep.equal({ real: 20_000, embedded: 20_000 });
  });

  it('toxicity 0 never applies the toxic, 1 always does, 0.5 on about half the connections (20 each)', async () => {
    const delayed = await suite.both(async (s) => {
      const counts: Record<string, number> = {};
      for (const toxicity of [0, 1, 0.5]) {
        const port = await proxyWith(s, suite.echo.address, [{ type: 'latency', toxicity, attributes: { latency: 80 } }], `t${toxicity * 10}`);
        let slow = 0;
        for (let i = 0; i < 20; i++) if ((await roundTrips(port, 1))[0]! >= 70) slow++;
        counts[toxicity] = slow;
      }
      return counts;
    });
    for (const [kind, counts] of Object.entries(delayed)) {
      expect(counts['0'], kind).to.equal(0);
      expect(counts['1'], kind).to.equal(20);
      // Binomial(20, 0.5): 3..17 holds with probability > 0.997.
      expect(counts['0.5'], kind).to.be.within(3, 17);
    }
  });

  it('a toxic added while a connection is open applies to it, and removing it restores the connection', async () => {
    const rtts = await suite.both(async (s) => {
      const port = await proxyWith(s, suite.echo.address, []);
      const watch = recordClient(port);
      await watch.connected;
      const before = await echoRoundTrip(watch.socket, Buffer.from('a'));
      await s.quiet('POST', '/proxies/p/toxics', { name: 'late', type: 'latency', attributes: { latency: 100 } });
      const during = await echoRoundTrip(watch.socket, Buffer.from('b'));
      await s.quiet('DELETE', '/proxies/p/toxics/late');
      const after = await echoRoundTrip(watch.socket, Buffer.from('c'));
      watch.socket.destroy();
      return { before, during, after };
    });
    for (const [kind, { before, during, after }] of Object.entries(rtts)) {
      within(before, 0, 50, `${kind} before`);
      within(during, 95, 200, `${kind} with the toxic`);
      within(after, 0, 50, `${kind} after removing it`);
    }
  });
});

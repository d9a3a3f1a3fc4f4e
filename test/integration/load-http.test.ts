/**
 * The open-model driver (`load: { type: http }`) against real servers on 127.0.0.1: requests leave on schedule and
 * spread evenly over each second; method, headers and body reach the server over kept-alive connections; a request
 * due while maxInFlight are outstanding is counted as dropped (on the timeline and in the summary), never sent late;
 * a ramp follows its stages; a refused connection is a "refused" outcome.
 */
import { expect } from 'chai';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { httpDriver } from '../../src/load/http-driver.js';
import { httpLoadSchema } from '../../src/experiment/load-schema.js';
import { Timeline } from '../../src/measure/timeline.js';
import { freePort, startCountingServer, type CountingServer } from '../support/servers.js';

interface Summary {
  startedAt: string;
  durationMs: number;
  intended: number;
  sent: number;
  dropped: number;
  answered: number;
  timeouts: number;
  errors: number;
  peakInFlight: number;
  achievedRate: number;
  schedulingErrorMs: { p50: number; p99: number; max: number };
}

async function runFor(config: Record<string, unknown>, ms: number): Promise<{ summary: Summary; timeline: Timeline }> {
  const timeline = new Timeline({ startMs: Date.now() });
  const driver = httpDriver(httpLoadSchema.parse({ type: 'http', ...config }), timeline);
  await driver.start();
  await sleep(ms);
  return { summary: (await driver.stop()) as unknown as Summary, timeline };
}

describe('the open-model http driver', function () {
  this.timeout(20_000);
  let server: CountingServer;
  beforeEach(async () => {
    server = await startCountingServer();
  });
  afterEach(() => server.close());

  it('sends 100 req/s on schedule, about ten in every 100 ms bucket, with method, headers and body, over kept-alive connections', async () => {
    const { summary, timeline } = await runFor(
      { url: `${server.url}/orders?x=1`, rate: 100, method: 'POST', headers: { 'x-run': 'gt' }, body: '{"id":1}' },
      3_050,
    );
    expect(server.last).to.deep.include({ method: 'POST', path: '/orders?x=1', body: '{"id":1}' });
    expect(server.last!.headers['x-run']).to.equal('gt');
    // About 3.05 s at 100/s: requests 0…305 were due (by the driver's own clock, as long as it ran); every one of
    // them sent, none dropped.
    expect(summary.intended).to.be.within(Math.floor(summary.durationMs / 10), Math.floor(summary.durationMs / 10) + 2);
    expect(summary.intended).to.be.at.least(305);
    expect(summary.sent).to.equal(summary.intended);
    expect(summary.dropped).to.equal(0);
    expect(summary.answered).to.equal(summary.sent);
    expect(server.count).to.equal(summary.sent);
    // Connections are kept alive and reused (undici asks for it on every request).
    expect(server.last!.headers.connection).to.equal('keep-alive');
    const counts = timeline.toJournal().counts['2xx'];
    // Placed at their scheduled time: exactly 10 per 100 ms bucket (the bucket grid starts with the timeline, a
    // few ms before the schedule, so a bucket may hold 9 or 11).
    for (const n of counts.slice(1, 29)) expect(n).to.be.within(9, 11);
  });

  it('counts a request due while maxInFlight are outstanding as dropped, on the timeline, and never sends it late', async () => {
    const held: ServerResponse[] = [];
    const stalling: Server = createServer((_req, res) => held.push(res));
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(stalling.address() as AddressInfo).port}/`;
      const { summary, timeline } = await runFor({ url, rate: 50, maxInFlight: 5, timeout: '700ms' }, 1_000);
      // 0…1000 ms at 50/s: 51 due. Five were sent and held, so every request due before the first timeout
      // (700 ms) was dropped; from then on each timeout frees a slot for the next request due.
      expect(summary.intended).to.be.within(50, 52);
      expect(summary.sent + summary.dropped).to.equal(summary.intended);
      expect(summary.sent).to.be.within(5, 15);
      expect(summary.dropped).to.be.at.least(30);
      expect(summary.peakInFlight).to.equal(5);
      expect(summary.timeouts).to.equal(summary.sent);
      const stats = timeline.summarize(timeline.startMs, Date.now() + 1000);
      expect(stats.dropped).to.equal(summary.dropped);
      expect(stats.byKind.timeout).to.equal(summary.sent);
      // Nothing sent late: every request the server saw was among the first five, or sent after a timeout.
      expect(held.length).to.equal(summary.sent);
    } finally {
      stalling.closeAllConnections();
      await new Promise((resolve) => stalling.close(resolve));
    }
  });

  it('follows a ramp: 0 → 100/s over 1 s (50 requests), then holds 100/s', async () => {
    const { summary, timeline } = await runFor({ url: `${server.url}/`, stages: [{ rate: 100, for: '1s' }] }, 2_000);
    // 50 in the ramp and 100 in the hold; the driver stops at about 2 s.
    expect(summary.intended).to.be.within(145, 155);
    expect(summary.answered).to.equal(summary.intended);
    const counts = timeline.toJournal().counts['2xx'];
    const firstSecond = counts.slice(0, 10).reduce((a, b) => a + b, 0);
    // The timeline's buckets start when it is made, a little before the driver starts its schedule (a few ms, tens
    // on a busy machine): the requests due in that last stretch of the ramp's first second, about one per 10 ms
    // there, fall into the next bucket.
    const scheduleLagMs = Date.parse(summary.startedAt) - timeline.startMs;
    expect(firstSecond).to.be.within(48 - Math.ceil(scheduleLagMs / 10), 52);
    // The ramp's first tenth schedules 1 % of its requests, its last tenth 19 %.
    expect(counts[0]!).to.be.at.most(2);
    expect(counts[9]!).to.be.within(8, 11);
  });

  it('counts every request due before stop, even one whose timer had not fired yet: sent late, never silently skipped', async () => {
    const timeline = new Timeline({ startMs: Date.now() });
    const driver = httpDriver(httpLoadSchema.parse({ type: 'http', url: `${server.url}/`, rate: 10 }), timeline);
    await driver.start();
    await sleep(120);
    // A busy event loop (the process held off the CPU does the same): requests due at 200, 300 and 400 ms find no
    // timer that can fire before stop() is called.
    const busyUntil = performance.now() + 350;
    while (performance.now() < busyUntil);
    const summary = (await driver.stop()) as unknown as Summary;
    // Request n is due at n × 100 ms: every one due while the driver ran is intended, and sent (nothing is dropped).
    // durationMs is rounded to the millisecond, so it may end half a millisecond past the last request due.
    const due = (ms: number) => Math.floor(ms / 100) + 1;
    expect(summary.intended).to.be.within(due(summary.durationMs - 0.5), due(summary.durationMs));
    expect(summary.intended).to.be.at.least(5);
    expect(summary.sent).to.equal(summary.intended);
    expect(summary.answered).to.equal(summary.sent);
    expect(server.count).to.equal(summary.sent);
  });

  it('records a refused connection as "refused", and keeps scheduling', async () => {
    const port = await freePort();
    const { summary, timeline } = await runFor({ url: `http://127.0.0.1:${port}/`, rate: 40 }, 500);
    expect(summary.sent).to.be.within(19, 22);
    expect(summary.errors).to.equal(summary.sent);
    expect(timeline.summarize(timeline.startMs, Date.now() + 1000).byKind.refused).to.equal(summary.sent);
  });

  it('records a connection the server closes without answering as "reset"', async () => {
    const closing: Server = createServer((req) => req.socket.destroy());
    await new Promise<void>((resolve) => closing.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(closing.address() as AddressInfo).port}/`;
      const { summary, timeline } = await runFor({ url, rate: 40 }, 500);
      expect(summary.errors).to.equal(summary.sent);
      expect(timeline.summarize(timeline.startMs, Date.now() + 1000).byKind.reset).to.equal(summary.sent);
    } finally {
      closing.closeAllConnections();
      await new Promise((resolve) => closing.close(resolve));
    }
  });

  it('refuses a url that is not http(s) once target attributes are substituted, before sending anything (exit 2)', async () => {
    // The schema refuses such a url in the file; one made of a target attribute is known only when the load starts.
    expect(() => httpLoadSchema.parse({ type: 'http', url: 'ftp://127.0.0.1/', rate: 1 })).to.throw('expected an http:// or https:// URL');
    const substituted = { ...httpLoadSchema.parse({ type: 'http', url: '${targets.svc.url}/', rate: 1 }), url: 'ftp://127.0.0.1/' };
    const driver = httpDriver(substituted, new Timeline({ startMs: Date.now() }));
    const error = await driver.start().then(() => null, (e: unknown) => e as { code: string; exitCode: number });
    expect(error).to.deep.include({ code: 'E_LOAD_URL', exitCode: 2 });
  });
});

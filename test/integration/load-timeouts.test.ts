/**
 * A latency SLO cannot pass while most requests time out: against a real server on 127.0.0.1 that answers one
 * request in ten at once and never answers the others, both load drivers record each timed-out request at its
 * timeout, so p95 is the timeout and the result says how many timed out.
 */
import { expect } from 'chai';
import { createServer, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { autocannonDriver } from '../../src/load/autocannon-driver.js';
import { httpDriver } from '../../src/load/http-driver.js';
import { instrumentOf } from '../../src/load/instrument.js';
import { autocannonLoadSchema, httpLoadSchema } from '../../src/experiment/load-schema.js';
import { evaluateSlo } from '../../src/measure/slo.js';
import { Timeline } from '../../src/measure/timeline.js';

describe('timed-out requests in latency SLOs', function () {
  this.timeout(20_000);
  let server: Server;
  let url: string;
  const held: ServerResponse[] = [];

  beforeEach(async () => {
    let n = 0;
    server = createServer((_req, res) => {
      if (n++ % 10 === 0) res.end('ok');
      else held.push(res);
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterEach(async () => {
    held.splice(0);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const p95Below100ms = { name: 'p95', window: 'run' as const, failStatus: 500, kind: 'latency' as const, p: 95, belowMs: 100 };

  it('autocannon (closed model): p95 is the 1 s timeout, not the latency of the few answered requests', async () => {
    const load = autocannonLoadSchema.parse({ type: 'autocannon', url, connections: 5, timeout: '1s' });
    const timeline = new Timeline({ startMs: Date.now() });
    const driver = autocannonDriver(load, timeline);
    await driver.start();
    await sleep(3_500);
    await driver.stop();
    const result = evaluateSlo(timeline, [[timeline.startMs, Date.now()]], p95Below100ms, instrumentOf(load));
    const byKind = (result.evidence as { byKind: Record<string, number> }).byKind;
    // Each connection gets an answer, then waits 1 s on a request that is never answered: most requests time out.
    expect(byKind.timeout, JSON.stringify(byKind)).to.be.greaterThan(byKind['2xx']!);
    expect(result.passed, result.message).to.equal(false);
    expect(result.value).to.be.closeTo(1000, 2);
    expect(result.message).to.match(/\d+ of \d+ requests timed out and count at their timeout \(1s\)/);
  });

  it('http (open model): p95 is the 300 ms timeout, counted from each request\'s scheduled send time', async () => {
    const load = httpLoadSchema.parse({ type: 'http', url, rate: 50, timeout: '300ms' });
    const timeline = new Timeline({ startMs: Date.now() });
    const driver = httpDriver(load, timeline);
    await driver.start();
    await sleep(2_000);
    const summary = (await driver.stop()) as { sent: number; timeouts: number; answered: number };
    const result = evaluateSlo(timeline, [[timeline.startMs, Date.now()]], p95Below100ms, instrumentOf(load));
    // 2 s at 50/s: about 100 requests, 9 in 10 never answered.
    expect(summary.sent).to.be.within(90, 110);
    expect(summary.timeouts + summary.answered).to.equal(summary.sent);
    expect(summary.timeouts).to.be.within(Math.floor(summary.sent * 0.85), Math.ceil(summary.sent * 0.95));
    expect(result.passed, result.message).to.equal(false);
    expect(result.value).to.be.closeTo(300, 1);
    expect(result.message).to.contain(`${summary.timeouts} of ${summary.sent} requests timed out and count at their timeout (300ms)`);
  });
});

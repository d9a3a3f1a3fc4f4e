/**
 * The autocannon driver against a real HTTP server on 127.0.0.1: a rate is offered evenly over each second (split
 * over staggered instances), not as one burst at the start of the second, and every response reaches the timeline.
 */
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { autocannonDriver, planLanes } from '../../src/load/autocannon-driver.js';
import { autocannonLoadSchema } from '../../src/experiment/load-schema.js';
import { Timeline } from '../../src/measure/timeline.js';

describe('autocannon driver', function () {
  this.timeout(20_000);
  let server: Server;
  let url: string;
  let served = 0;

  before(async () => {
    server = createServer((_req, res) => {
      served++;
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('splits a rate over up to ten instances started 100 ms apart, each with no more connections than its rate', () => {
    expect(planLanes({ rate: undefined, connections: 20 })).to.deep.equal([{ rate: undefined, connections: 20, delayMs: 0 }]);
    expect(planLanes({ rate: 1, connections: 5 })).to.deep.equal([{ rate: 1, connections: 1, delayMs: 0 }]);
    const lanes = planLanes({ rate: 53, connections: 4 });
    expect(lanes.map((l) => l.rate)).to.deep.equal([6, 6, 6, 5, 5, 5, 5, 5, 5, 5]);
    expect(lanes.map((l) => l.delayMs)).to.deep.equal([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
    expect(lanes.every((l) => l.connections === 1)).to.equal(true);
    const three = planLanes({ rate: 3, connections: 10 });
    expect(three.map((l) => [l.rate, l.delayMs])).to.deep.equal([[1, 0], [1, 333], [1, 667]]);
    expect(three.map((l) => l.connections)).to.deep.equal([1, 1, 1]);
  });

  it('offers 50 req/s spread over each second: no 100 ms bucket holds most of a second’s requests', async () => {
    const startMs = Date.now();
    const timeline = new Timeline({ startMs, bucketMs: 100 });
    served = 0;
    const driver = autocannonDriver(autocannonLoadSchema.parse({ type: 'autocannon', url, rate: 50, connections: 5 }), timeline);
    await driver.start();
    await sleep(4_000);
    const summary = (await driver.stop()) as { responses: number; errors: number; instances: number };
    expect(summary.instances).to.equal(10);
    expect(summary.errors).to.equal(0);
    // About 4 s at 50/s; generous for a shared 2-core machine.
    expect(summary.responses).to.be.within(150, 220);
    expect(served).to.be.at.least(summary.responses);
    const counts = timeline.toJournal().counts['2xx'];
    // Whole seconds 1..3 (the first second holds the staggered start-up).
    for (let second = 1; second <= 2; second++) {
      const buckets = counts.slice(second * 10, second * 10 + 10);
      const total = buckets.reduce((a, b) => a + b, 0);
      expect(total, `second ${second}`).to.be.within(35, 65);
      // One burst per second would put all of them in one bucket; ten lanes put about a tenth in each.
      expect(Math.max(...buckets), `largest bucket of second ${second}: ${buckets.join(',')}`).to.be.at.most(Math.ceil(total * 0.35));
      expect(buckets.filter((n) => n > 0).length, `buckets with requests in second ${second}`).to.be.at.least(6);
    }
  });
});

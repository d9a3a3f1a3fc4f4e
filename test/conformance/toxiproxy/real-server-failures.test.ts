/**
 * Toxic attributes the real Toxiproxy 2.12 accepts (200) and then fails on when data flows: it panics (the whole
 * server exits, every proxy with it) or stalls the connection forever. The embedded proxy refuses them with 400
 * instead, saying why. Each test shows the failure on a real server of its own, then the embedded answer.
 */
import { expect } from 'chai';
import { connect } from 'node:net';
import { describeConformance } from './support/conformance.js';
import { startRealToxiproxy, type ServerUnderTest } from './support/servers.js';

interface Outcome {
  /** Bytes the client got back within the wait. */
  received: number;
  /** Whether the real server process was still running after the wait. */
  alive: boolean;
  log: string;
}

describeConformance('conformance: inputs that crash or stall the real Toxiproxy', (suite) => {
  /** Starts a real server of its own, adds the toxic, sends `bytes` through an echo and waits `waitMs`. */
  async function throughRealServer(type: string, attributes: Record<string, number>, bytes: number, waitMs = 1500, exitWithinMs = 200): Promise<Outcome> {
    const real: ServerUnderTest = await startRealToxiproxy(suite.binary);
    try {
      const post = (path: string, body: unknown) => fetch(`${real.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
      const created = (await (await post('/proxies', { name: 'p', listen: '127.0.0.1:0', upstream: suite.echo.address })).json()) as { listen: string };
      expect((await post('/proxies/p/toxics', { type, attributes })).status, 'the real server accepts the toxic').to.equal(200);
      const received = await new Promise<number>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port: Number(created.listen.split(':')[1]) });
        let count = 0;
        socket.on('data', (d: Buffer) => (count += d.length));
        socket.on('error', () => undefined);
        socket.on('connect', () => socket.write(Buffer.alloc(bytes, 7)));
        setTimeout(() => {
          socket.destroy();
          resolve(count);
        }, waitMs);
      });
      // A panic exits at once; a stack overflow only once the stack has grown to 1 GB (seconds on a busy machine).
      const deadline = Date.now() + exitWithinMs;
      while (real.alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      return { received, alive: real.alive(), log: real.log() };
    } finally {
      await real.close();
    }
  }

  async function embeddedAnswer(type: string, attributes: Record<string, number>): Promise<{ status: number; error: string }> {
    const post = (path: string, body: unknown) => fetch(`${suite.embedded.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
    await post('/proxies', { name: 'refusals', listen: '127.0.0.1:0', upstream: suite.echo.address });
    try {
      const response = await post('/proxies/refusals/toxics', { type, attributes });
      return { status: response.status, error: ((await response.json()) as { error: string }).error };
    } finally {
      await fetch(`${suite.embedded.url}/proxies/refusals`, { method: 'DELETE' });
    }
  }

  it('bandwidth rate 0 (also the default): the real server stalls the connection forever; the embedded one answers 400', async () => {
    const real = await throughRealServer('bandwidth', { rate: 0 }, 1000);
    expect(real).to.include({ received: 0, alive: true });
    const embedded = await embeddedAnswer('bandwidth', {});
    expect(embedded.status).to.equal(400);
    expect(embedded.error).to.match(/^bad request body: attributes\.rate: 0 stalls the connection forever/);
  });

  it('bandwidth with a negative rate: the real server panics (slice bounds out of range) and exits; the embedded one answers 400', async () => {
    const real = await throughRealServer('bandwidth', { rate: -1 }, 1000);
    expect(real.alive).to.equal(false);
    expect(real.log).to.match(/panic: runtime error: slice bounds out of range/);
    expect(await embeddedAnswer('bandwidth', { rate: -1 })).to.include({ status: 400 });
  });

  it('slicer with average_size + size_variation below 1 (also the default): the real server never delivers, recursing until it crashes; the embedded one answers 400', async () => {
    const real = await throughRealServer('slicer', {}, 1000);
    expect(real.received).to.equal(0);
    for (const attributes of [{}, { average_size: 5, size_variation: -5 }, { average_size: -5 }] as Record<string, number>[]) {
      const embedded = await embeddedAnswer('slicer', attributes);
      expect(embedded.status, JSON.stringify(attributes)).to.equal(400);
      expect(embedded.error).to.match(/average_size \+ size_variation below 1/);
    }
  });

  it('slicer with a negative average_size: the real server overflows its stack and exits; the embedded one answers 400', async () => {
    const real = await throughRealServer('slicer', { average_size: -5 }, 1000, 1500, 45_000);
    expect(real.received).to.equal(0);
    expect(real.alive).to.equal(false);
    expect(real.log).to.match(/stack exceeds|stack overflow/);
    expect(await embeddedAnswer('slicer', { average_size: -5 })).to.include({ status: 400 });
  }).timeout(60_000);

  it('slicer with size_variation above average_size + 1: the real server panics (slice bounds out of range) and exits; the embedded one answers 400', async () => {
    const real = await throughRealServer('slicer', { average_size: 10, size_variation: 100 }, 65536);
    expect(real.alive).to.equal(false);
    expect(real.log).to.match(/panic: runtime error: slice bounds out of range/);
    const embedded = await embeddedAnswer('slicer', { average_size: 10, size_variation: 100 });
    expect(embedded.status).to.equal(400);
    expect(embedded.error).to.match(/size_variation: more than average_size \+ 1 \(11\)/);
    // At the bound itself both servers slice (api-toxics and data-path compare it).
    expect((await embeddedAnswer('slicer', { average_size: 10, size_variation: 11 })).status).to.equal(200);
  });
});

import { expect } from 'chai';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { ChaosError } from '../../src/errors.js';
import { httpRequestAction } from '../../src/plugins/http/actions/request.js';
import { httpParamsSchema } from '../../src/plugins/http/params.js';
import { httpProbe } from '../../src/plugins/http/probes/http.js';
import { activityContext } from '../support/contexts.js';
import { freePort, startCountingServer, type CountingServer } from '../support/servers.js';

const params = (raw: Record<string, unknown>) => httpParamsSchema.parse(raw);

describe('http plugin', () => {
  let server: CountingServer;

  beforeEach(async () => {
    server = await startCountingServer();
  });

  afterEach(async () => {
    await server.close();
  });

  describe('http probe', () => {
    it('passes on a 2xx by default and reports status, latency and body', async () => {
      const outcome = await httpProbe.run(undefined, params({ url: `${server.url}/healthz` }), activityContext());
      expect(outcome.ok).to.equal(true);
      expect(outcome.message).to.match(/^status 200 in \d+ ms$/);
      expect(outcome.output).to.include({ status: 200, body: 'ok' });
      expect(server.count).to.equal(1);
      expect(server.last?.path).to.equal('/healthz');
    });

    it('fails on a 503 by default, saying what was found and expected', async () => {
      server.respond(503, 'down');
      const outcome = await httpProbe.run(undefined, params({ url: server.url }), activityContext());
      expect(outcome.ok).to.equal(false);
      expect(outcome.message).to.equal('status 503, expected 200..399');
    });

    it('checks an exact expected status', async () => {
      server.respond(204);
      const outcome = await httpProbe.run(undefined, params({ url: server.url, expect: { status: 200 } }), activityContext());
      expect(outcome.message).to.equal('status 204, expected 200');
    });

    it('does not follow redirects unless asked', async () => {
      server.respond(302, '', { headers: { location: '/elsewhere' } });
      const outcome = await httpProbe.run(undefined, params({ url: server.url, expect: { status: 302 } }), activityContext());
      expect(outcome.ok).to.equal(true);
      expect(server.count).to.equal(1);
    });

    it('checks the body against a regex tolerance', async () => {
      server.respond(200, 'status: degraded');
      const outcome = await httpProbe.run(
        undefined,
        params({ url: server.url, expect: { body: { regex: 'healthy' } } }),
        activityContext(),
      );
      expect(outcome.ok).to.equal(false);
      expect(outcome.message).to.equal('body "status: degraded", expected a match for /healthy/');
    });

    it('checks JSON paths in the body', async () => {
      server.respond(200, JSON.stringify({ status: 'up', db: { lagMs: 1200 } }));
      const ok = await httpProbe.run(
        undefined,
        params({ url: server.url, expect: { json: [{ path: '$.status', value: 'up' }, { path: '$.db' }] } }),
        activityContext(),
      );
      expect(ok.ok).to.equal(true);
      const lagging = await httpProbe.run(
        undefined,
        params({ url: server.url, expect: { json: [{ path: '$.db.lagMs', value: { range: [0, 500] } }] } }),
        activityContext(),
      );
      expect(lagging.ok).to.equal(false);
      expect(lagging.message).to.equal('body: $.db.lagMs is 1200, expected $.db.lagMs 0..500');
    });

    it('fails with "timed out" when the server answers later than the timeout', async () => {
      server.respond(200, 'late', { delayMs: 1_000 });
      const outcome = await httpProbe.run(undefined, params({ url: server.url, timeout: '200ms' }), activityContext());
      expect(outcome.ok).to.equal(false);
      expect(outcome.message).to.equal(`GET ${server.url}: timed out after 200ms`);
      expect(outcome.output).to.include({ status: null, error: 'timed out after 200ms' });
    });

    it('fails when the answer takes longer than expect.latency', async () => {
      server.respond(200, 'slow', { delayMs: 150 });
      const outcome = await httpProbe.run(
        undefined,
        params({ url: server.url, expect: { latency: '50ms' } }),
        activityContext(),
      );
      expect(outcome.ok).to.equal(false);
      expect(outcome.message).to.match(/^answered in \d+ ms, expected within 50ms$/);
    });

    it('fails with "connection refused" when nothing listens', async () => {
      const port = await freePort();
      const outcome = await httpProbe.run(undefined, params({ url: `http://127.0.0.1:${port}/` }), activityContext());
      expect(outcome.ok).to.equal(false);
      expect(outcome.message).to.equal(`GET http://127.0.0.1:${port}/: connection refused`);
    });

    it('fails at once, not at its timeout, when the server closes without answering (as under a reset_peer toxic)', async () => {
      // Node 20's bundled fetch pool waits here until the timeout; undici 7's, which the plugin uses, does not.
      const closing = createServer((socket) => socket.end()).listen(0, '127.0.0.1');
      await once(closing, 'listening');
      try {
        const url = `http://127.0.0.1:${(closing.address() as AddressInfo).port}/`;
        const started = Date.now();
        const outcome = await httpProbe.run(undefined, params({ url, timeout: '10s' }), activityContext());
        expect(outcome.ok).to.equal(false);
        expect(outcome.message).to.equal(`GET ${url}: UND_ERR_SOCKET: other side closed`);
        // Generous: the answer is immediate; the bound only tells it from the 10 s timeout on a loaded machine.
        expect(Date.now() - started).to.be.below(5_000);
      } finally {
        closing.close();
      }
    });

    it('stops waiting when the activity is aborted', async () => {
      server.respond(200, 'late', { delayMs: 5_000 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const started = Date.now();
      const outcome = await httpProbe.run(undefined, params({ url: server.url }), activityContext({ signal: controller.signal }));
      expect(outcome.ok).to.equal(false);
      expect(outcome.output).to.include({ error: 'aborted' });
      expect(Date.now() - started).to.be.below(2_000);
    });

    it('keeps only the first 4 KiB of the body in its output', async () => {
      server.respond(200, 'x'.repeat(10_000));
      const outcome = await httpProbe.run(undefined, params({ url: server.url }), activityContext());
      const body = (outcome.output as { body: string }).body;
      expect(body.startsWith('x'.repeat(4096))).to.equal(true);
      expect(body.endsWith('…[truncated]')).to.equal(true);
    });
  });

  describe('http.request action', () => {
    it('sends an object body as JSON with the given method and headers', async () => {
      const output = await httpRequestAction.run(
        undefined,
        params({ url: `${server.url}/admin/failback`, method: 'POST', headers: { 'x-token': 't' }, body: { region: 'a' } }),
        activityContext(),
      );
      expect(output).to.include({ status: 200 });
      expect(server.last).to.include({ method: 'POST', path: '/admin/failback', body: '{"region":"a"}' });
      expect(server.last?.headers['content-type']).to.equal('application/json');
      expect(server.last?.headers['x-token']).to.equal('t');
    });

    it('throws a ChaosError when the response does not meet expect', async () => {
      server.respond(500, 'boom');
      try {
        await httpRequestAction.run(undefined, params({ url: server.url, method: 'POST' }), activityContext());
        expect.fail('the action should have failed');
      } catch (err) {
        expect(err).to.be.instanceOf(ChaosError);
        expect((err as Error).message).to.equal(`POST ${server.url}: status 500, expected 200..399`);
      }
    });
  });

  describe('params', () => {
    it('accepts a URL that still holds a ${targets...} reference', () => {
      expect(httpParamsSchema.safeParse({ url: '${targets.app.url}/healthz' }).success).to.equal(true);
    });

    it('rejects a body on a GET request', () => {
      const result = httpParamsSchema.safeParse({ url: 'http://127.0.0.1/', body: 'x' });
      expect(result.error?.issues[0]?.message).to.match(/a GET request cannot have a body/);
    });

    it('rejects unknown keys and turns durations into milliseconds', () => {
      expect(httpParamsSchema.safeParse({ url: 'http://127.0.0.1/', timeuot: '1s' }).success).to.equal(false);
      expect(params({ url: 'http://127.0.0.1/', timeout: '1.5s' }).timeout).to.equal(1500);
    });
  });
});

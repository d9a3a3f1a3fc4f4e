/**
 * Where the embedded proxy differs from the real Toxiproxy 2.12 on purpose, each shown against both servers so the
 * README's list stays true: if the real server changes, or the embedded one drifts, these fail.
 */
import { expect } from 'chai';
import { describeConformance } from './support/conformance.js';

describeConformance('conformance: deliberate differences from the real Toxiproxy', (suite) => {
  it('a proxy without listen: the real server listens on every interface, the embedded one on 127.0.0.1 only', async () => {
    const listen = await suite.both(async (s) => {
      const { json } = await s.quiet('POST', '/proxies', { name: 'nolisten', upstream: suite.echo.address });
      return (json as { listen: string }).listen;
    });
    expect(listen.real).to.match(/^\[::\]:\d+$/);
    expect(listen.embedded).to.match(/^127\.0\.0\.1:\d+$/);
  });

  it('integers beyond 2^53: the real server takes up to 2^63 - 1, the embedded one answers 400', async () => {
    const answer = await suite.both(async (s) => {
      await s.quiet('POST', '/proxies', { name: 'db', listen: '127.0.0.1:0', upstream: suite.echo.address });
      return s.quiet('POST', '/proxies/db/toxics', '{"type":"latency","attributes":{"latency":9223372036854775807}}');
    });
    expect(answer.real.status).to.equal(200);
    expect(answer.embedded.status).to.equal(400);
    expect((answer.embedded.json as { error: string }).error).to.match(/attributes\.latency: .* too large/);
  });

  it('a proxy\'s JSON: the real server adds "Logger":{} (a Go field that leaked into 2.12\'s output), the embedded one does not', async () => {
    const texts = await suite.both(async (s) => {
      await s.quiet('POST', '/proxies', { name: 'db', listen: '127.0.0.1:0', upstream: suite.echo.address });
      return (await fetch(`${s.server.url}/proxies/db`)).text();
    });
    expect(texts.real).to.include('"enabled":true,"Logger":{},"toxics":[]');
    expect(texts.embedded).to.include('"enabled":true,"toxics":[]');
  });
});

/**
 * POST /populate compared with the real Toxiproxy 2.12: create, keep (with its toxics), replace, the address
 * written differently, validation before any change, and failures part-way.
 */
import { describeConformance } from './support/conformance.js';

describeConformance('conformance: POST /populate against the real Toxiproxy', (suite) => {
  const upstream = () => suite.echo.address;

  suite.differential('creates proxies and answers 201 with them, in request order', async (s) => {
    const a = await s.port('a');
    await s.call('POST', '/populate', [
      { name: 'b', listen: `127.0.0.1:${a}`, upstream: upstream() },
      { name: 'a', listen: '127.0.0.1:0', upstream: upstream(), enabled: false },
    ]);
    await s.call('GET', '/proxies');
    await s.call('POST', '/populate', []);
  });

  suite.differential('keeps an unchanged proxy and its toxics, and replaces a changed one', async (s) => {
    const [a, b] = [await s.port('a'), await s.port('b')];
    await s.call('POST', '/populate', [
      { name: 'keep', listen: `127.0.0.1:${a}`, upstream: upstream() },
      { name: 'change', listen: `127.0.0.1:${b}`, upstream: upstream() },
    ]);
    await s.quiet('POST', '/proxies/keep/toxics', { name: 'slow', type: 'latency', attributes: { latency: 5 } });
    await s.quiet('POST', '/proxies/change/toxics', { name: 'slow', type: 'latency', attributes: { latency: 5 } });
    await s.call('POST', '/populate', [
      { name: 'keep', listen: `127.0.0.1:${a}`, upstream: upstream() },
      { name: 'change', listen: `127.0.0.1:${b}`, upstream: '127.0.0.1:9' },
    ]);
    await s.call('GET', '/proxies');
  });

  suite.differential('keeps a proxy whose listen address is written differently (localhost for 127.0.0.1)', async (s) => {
    const a = await s.port('a');
    await s.call('POST', '/proxies', { name: 'db', listen: `localhost:${a}`, upstream: upstream() });
    await s.quiet('POST', '/proxies/db/toxics', { name: 'slow', type: 'latency', attributes: { latency: 5 } });
    await s.call('POST', '/populate', [{ name: 'db', listen: `127.0.0.1:${a}`, upstream: upstream() }]);
    await s.call('POST', '/populate', [{ name: 'db', listen: `localhost:${a}`, upstream: upstream() }]);
    await s.call('GET', '/proxies/db');
  });

  suite.differential('keeps a proxy given without listen, and one enabled or disabled', async (s) => {
    const a = await s.port('a');
    await s.call('POST', '/populate', [{ name: 'db', listen: `127.0.0.1:${a}`, upstream: upstream() }]);
    await s.quiet('POST', '/proxies/db/toxics', { name: 'slow', type: 'latency' });
    await s.call('POST', '/populate', [{ name: 'db', listen: `127.0.0.1:${a}`, upstream: upstream(), enabled: false }]);
    await s.call('POST', '/populate', [{ name: 'db', listen: `127.0.0.1:${a}`, upstream: upstream(), enabled: true }]);
    await s.call('GET', '/proxies/db');
  });

  suite.differential('checks every proxy before changing anything: 400 on a missing name or upstream, with its position', async (s) => {
    await s.call('POST', '/populate', [{ name: 'ok', listen: '127.0.0.1:0', upstream: upstream() }, { listen: '127.0.0.1:0', upstream: upstream() }]);
    await s.call('POST', '/populate', [{ name: 'ok', listen: '127.0.0.1:0', upstream: upstream() }, { name: 'x', listen: '127.0.0.1:0' }]);
    await s.call('POST', '/populate', [{ name: '', upstream: '' }]);
    await s.call('GET', '/proxies');
  });

  suite.differential('answers 400 on a body that is not a list of proxies, and on fields of the wrong type', async (s) => {
    for (const body of ['', '{', '{}', 'null', '"x"', '5', '[1]', '[[]]', '[null]', '[{"name":5}]', '[{"enabled":"yes"}]', '[{"name":"a","upstream":"b"},{"listen":false}]']) {
      await s.call('POST', '/populate', body);
    }
    await s.call('GET', '/proxies');
  });

  suite.differential('refuses two proxies of the same name in one request', async (s) => {
    await s.call('POST', '/populate', [
      { name: 'twice', listen: '127.0.0.1:0', upstream: upstream() },
      { name: 'twice', listen: '127.0.0.1:0', upstream: upstream() },
    ]);
    await s.call('GET', '/proxies');
  });

  suite.differential('refuses an enabled proxy with an address that cannot be listened on, before creating any', async (s) => {
    await s.call('POST', '/populate', [
      { name: 'good', listen: '127.0.0.1:0', upstream: upstream() },
      { name: 'bad', listen: 'nonsense', upstream: upstream() },
    ]);
    await s.call('POST', '/populate', [{ name: 'off', listen: 'nonsense', upstream: 'nonsense', enabled: false }]);
    await s.call('GET', '/proxies');
  });

  suite.differential('stops at a port conflict part-way and answers with the proxies done before it', async (s) => {
    const a = await s.port('a');
    await s.quiet('POST', '/proxies', { name: 'holder', listen: `127.0.0.1:${a}`, upstream: upstream() });
    await s.call('POST', '/populate', [
      { name: 'first', listen: '127.0.0.1:0', upstream: upstream() },
      { name: 'clash', listen: `127.0.0.1:${a}`, upstream: upstream() },
      { name: 'never', listen: '127.0.0.1:0', upstream: upstream() },
    ]);
    await s.call('GET', '/proxies');
  });
});

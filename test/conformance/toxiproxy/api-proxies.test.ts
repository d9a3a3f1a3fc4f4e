/**
 * The proxy endpoints of the Toxiproxy API, compared request by request with the real Toxiproxy 2.12: status
 * codes, the headers clients read, and the bodies as text.
 */
import { describeConformance } from './support/conformance.js';

describeConformance('conformance: proxy endpoints against the real Toxiproxy', (suite) => {
  const upstream = () => suite.echo.address;

  suite.differential('GET /version and an empty GET /proxies', async (s) => {
    await s.call('GET', '/version');
    await s.call('GET', '/proxies');
  });

  suite.differential('creates a proxy and shows it in the index and by name', async (s) => {
    const port = await s.port('a');
    await s.call('POST', '/proxies', { name: 'db', listen: `127.0.0.1:${port}`, upstream: upstream(), enabled: true });
    await s.call('GET', '/proxies');
    await s.call('GET', '/proxies/db');
    await s.call('GET', '/proxies/db?unused=1');
  });

  suite.differential('resolves localhost in listen, for port 0 and for a fixed port', async (s) => {
    await s.call('POST', '/proxies', { name: 'zero', listen: 'localhost:0', upstream: upstream() });
    const port = await s.port('a');
    await s.call('POST', '/proxies', { name: 'fixed', listen: `localhost:${port}`, upstream: upstream() });
    await s.call('GET', '/proxies/fixed');
  });

  suite.differential('creates a disabled proxy, which shows its listen address as given', async (s) => {
    const port = await s.port('a');
    await s.call('POST', '/proxies', { name: 'off', listen: `localhost:${port}`, upstream: upstream(), enabled: false });
    await s.call('POST', '/proxies', { name: 'off0', listen: '127.0.0.1:0', upstream: upstream(), enabled: false });
    await s.call('PATCH', '/proxies/off', { enabled: true });
  });

  suite.differential('lists proxies in name order, whatever the order of creation', async (s) => {
    for (const name of ['b', 'c', 'a', 'B', '_']) await s.call('POST', '/proxies', { name, listen: '127.0.0.1:0', upstream: upstream() });
    await s.call('GET', '/proxies');
  });

  suite.differential('names a proxy with any characters a path can carry', async (s) => {
    await s.call('POST', '/proxies', { name: 'with space', listen: '127.0.0.1:0', upstream: upstream() });
    await s.call('GET', '/proxies/with%20space');
    await s.call('POST', '/proxies', { name: 'ünï', listen: '127.0.0.1:0', upstream: upstream() });
    await s.call('GET', `/proxies/${encodeURIComponent('ünï')}`);
    await s.call('DELETE', '/proxies/with%20space');
    // Go escapes <, > and & in JSON strings, and control characters and U+2028 as \u00XX / \u2028.
    const odd = 'a<b>&c\u0001\u2028"\\';
    await s.call('POST', '/proxies', { name: odd, listen: '127.0.0.1:0', upstream: upstream() });
    await s.call('GET', `/proxies/${encodeURIComponent(odd)}`);
  });

  suite.differential('answers 400 on a missing name or upstream', async (s) => {
    await s.call('POST', '/proxies', { listen: '127.0.0.1:0', upstream: upstream() });
    await s.call('POST', '/proxies', { name: '', upstream: upstream() });
    await s.call('POST', '/proxies', { name: 'x', listen: '127.0.0.1:0' });
    await s.call('POST', '/proxies', { name: 'x', upstream: '' });
    await s.call('POST', '/proxies', {});
    await s.call('POST', '/proxies', 'null');
  });

  suite.differential('answers 400 on each field of the wrong type', async (s) => {
    const good = { name: 'x', listen: '127.0.0.1:0', upstream: upstream(), enabled: true };
    const wrong = [1, 1.5, true, 'text', [], {}, -1];
    for (const field of Object.keys(good)) {
      for (const value of wrong) {
        if (typeof value === typeof good[field as keyof typeof good] && !Array.isArray(value) && typeof value !== 'object') continue;
        await s.call('POST', '/proxies', { ...good, [field]: value });
      }
    }
    await s.call('GET', '/proxies');
  });

  suite.differential('answers 400 on a body that is not a JSON object', async (s) => {
    for (const body of ['[]', '[1]', '"text"', '12', 'true', '1e400']) await s.call('POST', '/proxies', body);
  });

  suite.differential('answers 400 on malformed JSON, with the decoder error', async (s) => {
    const bodies = [
      '', ' ', '{', '{"name":', '{"name":"a",}', '{name:"a"}', '[1,2', 'nul', 'tru', 'fals', 'x', '{"a" 1}', '{"a":1 "b":2}',
      '{"a":-}', '{"a":01}', '{"a":1.}', '{"a":1e}', '{"a":1e+}', '{"a":"\\q"}', '{"a":"\\u12"}', '{"a":"\\u12zz"}',
      '{"a":"tab\there"}', '{"a":[1,]}', '{"a":{"b":1,}}', '{"a":tru}', '{"a":nulx}', '{"a":"unterminated', '{"a":1}}',
      '\u00ff', '{"a":"\u00e9"}', '{"a":1} trailing', '\t\n {"name": 5}',
    ];
    for (const body of bodies) await s.call('POST', '/proxies', body);
  });

  suite.differential('accepts a body with text after the first JSON value, and keys in any case', async (s) => {
    await s.call('POST', '/proxies', `{"name":"tail","listen":"127.0.0.1:0","upstream":"${upstream()}"} and more`);
    await s.call('POST', '/proxies', `{"NAME":"case","Listen":"127.0.0.1:0","UPSTREAM":"${upstream()}","ENABLED":false}`);
    await s.call('POST', '/proxies', `{"name":"dup","name":"last","listen":"127.0.0.1:0","upstream":"${upstream()}"}`);
    await s.call('POST', '/proxies', `{"name":"nulls","listen":"127.0.0.1:0","upstream":"${upstream()}","enabled":null,"extra":[1,{"x":2}]}`);
    await s.call('GET', '/proxies');
  });

  suite.differential('answers 409 on a second proxy with the same name', async (s) => {
    await s.call('POST', '/proxies', { name: 'db', listen: '127.0.0.1:0', upstream: upstream() });
    await s.call('POST', '/proxies', { name: 'db', listen: '127.0.0.1:0', upstream: upstream() });
    await s.call('POST', '/proxies', { name: 'db', listen: 'not an address', upstream: upstream() });
  });

  suite.differential('answers 500 when the listen port is taken, however the address is written', async (s) => {
    const port = await s.port('a');
    await s.call('POST', '/proxies', { name: 'first', listen: `127.0.0.1:${port}`, upstream: upstream() });
    await s.call('POST', '/proxies', { name: 'second', listen: `127.0.0.1:${port}`, upstream: upstream() });
    await s.call('POST', '/proxies', { name: 'third', listen: `localhost:${port}`, upstream: upstream() });
    await s.call('GET', '/proxies');
  });

  suite.differential('answers 500 on a listen address that cannot be listened on', async (s) => {
    for (const listen of ['nonsense', '127.0.0.1', '127.0.0.1:99999', '127.0.0.1:-1', '127.0.0.1:abc', '256.0.0.1:0', ':::0', '[::1:0']) {
      await s.call('POST', '/proxies', { name: `bad ${listen}`, listen, upstream: upstream() });
    }
    await s.call('GET', '/proxies');
  });

  suite.differential('accepts any upstream text (it is dialled only when a client connects)', async (s) => {
    await s.call('POST', '/proxies', { name: 'odd', listen: '127.0.0.1:0', upstream: 'not an address' });
    await s.call('POST', '/proxies', { name: 'noport', listen: '127.0.0.1:0', upstream: '127.0.0.1' });
    await s.call('GET', '/proxies');
  });

  suite.differential('updates a proxy with PATCH and POST, each field defaulting to the current value', async (s) => {
    const [a, b] = [await s.port('a'), await s.port('b')];
    await s.call('POST', '/proxies', { name: 'db', listen: `127.0.0.1:${a}`, upstream: upstream() });
    await s.call('PATCH', '/proxies/db', { enabled: false });
    await s.call('POST', '/proxies/db', { enabled: true });
    await s.call('PATCH', '/proxies/db', { listen: `127.0.0.1:${b}` });
    await s.call('PATCH', '/proxies/db', { upstream: '127.0.0.1:9' });
    await s.call('PATCH', '/proxies/db', {});
    await s.call('PATCH', '/proxies/db', { name: 'renamed' });
    await s.call('GET', '/proxies');
  });

  suite.differential('answers 400 on a bad update body and 404 on an update of a missing proxy', async (s) => {
    await s.call('POST', '/proxies', { name: 'db', listen: '127.0.0.1:0', upstream: upstream() });
    for (const body of ['', '{', '[]', '{"enabled":"yes"}', '{"listen":5}', '{"upstream":false}']) await s.call('PATCH', '/proxies/db', body);
    await s.call('PATCH', '/proxies/nope', { enabled: false });
    await s.call('PATCH', '/proxies/nope', '{');
    await s.call('GET', '/proxies/db');
  });

  suite.differential('answers 500 on an update to a taken port, and leaves the proxy disabled', async (s) => {
    const [a, b] = [await s.port('a'), await s.port('b')];
    await s.call('POST', '/proxies', { name: 'one', listen: `127.0.0.1:${a}`, upstream: upstream() });
    await s.call('POST', '/proxies', { name: 'two', listen: `127.0.0.1:${b}`, upstream: upstream() });
    await s.call('PATCH', '/proxies/two', { listen: `127.0.0.1:${a}` });
    await s.call('GET', '/proxies/two');
    await s.call('PATCH', '/proxies/two', { listen: `127.0.0.1:${b}`, enabled: true });
  });

  suite.differential('deletes a proxy (204, empty body), then answers 404 for it', async (s) => {
    await s.call('POST', '/proxies', { name: 'db', listen: '127.0.0.1:0', upstream: upstream() });
    await s.call('DELETE', '/proxies/db');
    for (const method of ['GET', 'DELETE', 'PATCH', 'POST']) await s.call(method, '/proxies/db', method === 'GET' || method === 'DELETE' ? undefined : {});
    await s.call('GET', '/proxies/db/toxics');
    await s.call('POST', '/proxies/db/toxics', { type: 'latency' });
  });

  suite.differential('answers 404 on unknown paths and 405 on unknown methods', async (s) => {
    for (const path of ['/', '/nothing', '/proxies/', '/proxies/a/b/c/d', '/version/', '/reset/x', '//proxies']) await s.call('GET', path);
    for (const [method, path] of [
      ['PUT', '/proxies'],
      ['DELETE', '/proxies'],
      ['GET', '/reset'],
      ['GET', '/populate'],
      ['POST', '/version'],
      ['HEAD', '/version'],
      ['OPTIONS', '/proxies'],
      ['PUT', '/proxies/x'],
    ]) {
      await s.call(method!, path!);
    }
  });

  suite.differential('refuses browsers (403) on every route', async (s) => {
    const browser = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' };
    await s.call('GET', '/version', undefined, browser);
    await s.call('POST', '/proxies', { name: 'x', upstream: upstream() }, browser);
    await s.call('GET', '/nothing', undefined, browser);
    await s.call('PUT', '/proxies', undefined, browser);
    await s.call('GET', '/proxies', undefined, { 'user-agent': 'curl/8.0 Mozilla/5.0' });
  });
});

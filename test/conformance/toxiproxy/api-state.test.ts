/**
 * What the API does to open connections, compared with the real Toxiproxy 2.12: disabling, enabling, updating
 * (also with the same address written differently), deleting, reset, and populate replacing or keeping a proxy.
 */
import { describeConformance } from './support/conformance.js';

describeConformance('conformance: open connections across API calls, against the real Toxiproxy', (suite) => {
  const upstream = () => suite.echo.address;

  suite.differential('disabling cuts open connections and refuses new ones; enabling listens again', async (s) => {
    const a = await s.port('a');
    await s.call('POST', '/proxies', { name: 'db', listen: `127.0.0.1:${a}`, upstream: upstream() });
    const open = await s.connect(a);
    s.note('open connection before', await s.echoState(open));
    await s.call('PATCH', '/proxies/db', { enabled: false });
    s.note('open connection after disable', await s.echoState(open));
    s.note('new connection while disabled', await s.connectState(a));
    await s.call('PATCH', '/proxies/db', { enabled: true });
    s.note('new connection after enable', await s.connectState(a));
  });

  suite.differential('an update that changes nothing, or writes the same address differently, keeps open connections', async (s) => {
    const a = await s.port('a');
    await s.call('POST', '/proxies', { name: 'db', listen: `127.0.0.1:${a}`, upstream: upstream() });
    const open = await s.connect(a);
    await s.call('PATCH', '/proxies/db', { enabled: true, listen: `127.0.0.1:${a}`, upstream: upstream() });
    s.note('after the same update', await s.echoState(open));
    await s.call('PATCH', '/proxies/db', { listen: `localhost:${a}` });
    s.note('after localhost for 127.0.0.1', await s.echoState(open));
    await s.call('PATCH', '/proxies/db', { upstream: `localhost:${suite.echo.port}` });
    s.note('after the upstream written with localhost', await s.echoState(open));
    await s.call('GET', '/proxies/db');
  });

  suite.differential('an update to another listen port or upstream cuts open connections', async (s) => {
    const [a, b] = [await s.port('a'), await s.port('b')];
    await s.call('POST', '/proxies', { name: 'db', listen: `127.0.0.1:${a}`, upstream: upstream() });
    const first = await s.connect(a);
    await s.call('PATCH', '/proxies/db', { listen: `127.0.0.1:${b}` });
    s.note('after a new listen port', await s.echoState(first));
    s.note('old port', await s.connectState(a));
    s.note('new port', await s.connectState(b));
    const second = await s.connect(b);
    await s.call('PATCH', '/proxies/db', { upstream: `${upstream()}0` });
    s.note('after a new upstream', await s.echoState(second));
  });

  suite.differential('deleting a proxy cuts its open connections and frees its port', async (s) => {
    const a = await s.port('a');
    await s.call('POST', '/proxies', { name: 'db', listen: `127.0.0.1:${a}`, upstream: upstream() });
    const open = await s.connect(a);
    await s.call('DELETE', '/proxies/db');
    s.note('open connection after delete', await s.echoState(open));
    s.note('new connection after delete', await s.connectState(a));
    await s.call('POST', '/proxies', { name: 'again', listen: `127.0.0.1:${a}`, upstream: upstream() });
  });

  suite.differential('reset enables every proxy and removes every toxic, keeping open connections', async (s) => {
    const [a, b] = [await s.port('a'), await s.port('b')];
    await s.call('POST', '/proxies', { name: 'on', listen: `127.0.0.1:${a}`, upstream: upstream() });
    await s.call('POST', '/proxies', { name: 'off', listen: `127.0.0.1:${b}`, upstream: upstream(), enabled: false });
    await s.call('POST', '/proxies/on/toxics', { name: 'hold', type: 'timeout', attributes: { timeout: 0 } });
    await s.call('POST', '/proxies/on/toxics', { name: 'slow', type: 'latency', stream: 'upstream', attributes: { latency: 10 } });
    const open = await s.connect(a);
    s.note('with a timeout toxic', await s.echoState(open, 200));
    await s.call('POST', '/reset');
    await s.call('GET', '/proxies');
    s.note('held connection after reset', await s.echoState(open));
    s.note('new connection to the re-enabled proxy', await s.connectState(b));
    s.note('new connection to the other', await s.connectState(a));
    await s.call('POST', '/reset', { ignored: true });
  });

  suite.differential('removing a latency toxic delivers what it held; removing a timeout toxic closes its connections', async (s) => {
    const a = await s.port('a');
    await s.call('POST', '/proxies', { name: 'db', listen: `127.0.0.1:${a}`, upstream: upstream() });
    await s.call('POST', '/proxies/db/toxics', { name: 'slow', type: 'latency', attributes: { latency: 60_000 } });
    const open = await s.connect(a);
    s.note('with the latency toxic', await s.echoState(open, 200));
    await s.call('DELETE', '/proxies/db/toxics/slow');
    s.note('after removing it', await s.echoState(open));
    await s.call('POST', '/proxies/db/toxics', { name: 'hold', type: 'timeout', attributes: { timeout: 0 } });
    s.note('with the timeout toxic', await s.echoState(open, 200));
    await s.call('DELETE', '/proxies/db/toxics/hold');
    s.note('after removing it', await s.echoState(open));
  });

  suite.differential('populate keeps the open connections of a proxy it keeps, and cuts those of one it replaces', async (s) => {
    const [a, b] = [await s.port('a'), await s.port('b')];
    await s.call('POST', '/proxies', { name: 'keep', listen: `localhost:${a}`, upstream: upstream() });
    await s.call('POST', '/proxies', { name: 'swap', listen: `127.0.0.1:${b}`, upstream: upstream() });
    const [kept, swapped] = [await s.connect(a), await s.connect(b)];
    await s.call('POST', '/populate', [
      { name: 'keep', listen: `127.0.0.1:${a}`, upstream: upstream() },
      { name: 'swap', listen: `127.0.0.1:${b}`, upstream: `${upstream()}0` },
    ]);
    s.note('kept proxy', await s.echoState(kept));
    s.note('replaced proxy', await s.echoState(swapped));
  });

  suite.differential('populate compares addresses as the real server does', async (s) => {
    const a = await s.port('a');
    await s.call('POST', '/proxies', { name: 'zero', listen: '127.0.0.1:0', upstream: upstream() });
    await s.quiet('POST', '/proxies/zero/toxics', { name: 't', type: 'noop' });
    await s.call('POST', '/populate', [{ name: 'zero', listen: '127.0.0.1:0', upstream: upstream() }]);
    await s.call('POST', '/proxies', { name: 'off', listen: `localhost:${a}`, upstream: upstream(), enabled: false });
    await s.quiet('POST', '/proxies/off/toxics', { name: 't', type: 'noop' });
    await s.call('POST', '/populate', [{ name: 'off', listen: `127.0.0.1:${a}`, upstream: upstream(), enabled: false }]);
    await s.call('POST', '/proxies', { name: 'up', listen: '127.0.0.1:0', upstream: upstream() });
    await s.quiet('POST', '/proxies/up/toxics', { name: 't', type: 'noop' });
    const listen = ((await s.quiet('GET', '/proxies/up')).json as { listen: string }).listen;
    await s.call('POST', '/populate', [{ name: 'up', listen, upstream: `localhost:${suite.echo.port}` }]);
    await s.call('GET', '/proxies');
  });
});

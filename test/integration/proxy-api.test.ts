/**
 * The embedded proxy's HTTP API driven by toxiproxy-node-client (the npm package), as it would drive a real
 * Toxiproxy 2.12, plus the raw status codes and error bodies the client does not expose.
 */
import { expect } from 'chai';
import { Toxiproxy } from 'toxiproxy-node-client';
import { startToxiproxyServer, type ToxiproxyServer } from '../../src/proxy/server.js';
import { startEchoServer, type TcpServer } from '../support/proxy-net.js';

describe('embedded proxy API (toxiproxy-node-client)', function () {
  let server: ToxiproxyServer;
  let echo: TcpServer;
  let client: Toxiproxy;

  beforeEach(async () => {
    server = await startToxiproxyServer({ host: '127.0.0.1', port: 0 });
    echo = await startEchoServer();
    client = new Toxiproxy(server.url);
  });
  afterEach(async () => {
    await server.close();
    await echo.close();
  });

  async function raw(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown; text: string }> {
    const response = await fetch(`${server.url}${path}`, {
      method,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: response.status, json, text };
  }

  it('reports its version as Toxiproxy 2.12', async () => {
    expect(JSON.parse(await client.getVersion())).to.deep.equal({ version: '2.12.0' });
  });

  it('creates, lists, gets, updates and deletes proxies', async () => {
    const created = await client.createProxy({ name: 'db', listen: '127.0.0.1:0', upstream: echo.address });
    expect(created.name).to.equal('db');
    expect(created.enabled).to.equal(true);
    expect(created.listen).to.match(/^127\.0\.0\.1:\d+$/);
    expect(created.listen).to.not.equal('127.0.0.1:0');

    const all = await client.getAll();
    expect(Object.keys(all)).to.deep.equal(['db']);
    expect((await client.get('db')).toJson()).to.deep.equal(created.toJson());

    const disabled = await created.update({ enabled: false, listen: created.listen, upstream: created.upstream });
    expect(disabled.enabled).to.equal(false);
    expect(disabled.listen).to.equal(created.listen);

    // PATCH, the non-deprecated form in 2.12, with a partial body.
    const patched = await raw('PATCH', '/proxies/db', { enabled: true });
    expect(patched.status).to.equal(200);
    expect(patched.json).to.include({ name: 'db', enabled: true, listen: created.listen });

    await (await client.get('db')).remove();
    expect(await client.getAll()).to.deep.equal({});
  });

  it('answers 201 with the proxy on create and 204 on delete and reset', async () => {
    const created = await raw('POST', '/proxies', { name: 'a', upstream: echo.address });
    expect(created.status).to.equal(201);
    expect(created.json).to.have.all.keys('name', 'listen', 'upstream', 'enabled', 'toxics');
    expect((created.json as { toxics: unknown[] }).toxics).to.deep.equal([]);
    expect((await raw('POST', '/reset')).status).to.equal(204);
    expect((await raw('DELETE', '/proxies/a')).status).to.equal(204);
  });

  it('populates proxies, keeping an unchanged one and creating the rest', async () => {
    const first = await client.populate([{ name: 'a', listen: '127.0.0.1:0', upstream: echo.address }]);
    const again = await client.populate([
      { name: 'a', listen: first.a!.listen, upstream: echo.address },
      { name: 'b', listen: '127.0.0.1:0', upstream: echo.address },
    ]);
    expect(Object.keys(again)).to.deep.equal(['a', 'b']);
    expect(again.a!.listen).to.equal(first.a!.listen);
    const missing = await raw('POST', '/populate', [{ name: 'c' }]);
    expect(missing.status).to.equal(400);
    expect(missing.json).to.deep.include({ error: 'missing required field: upstream at proxy 1', status: 400 });
  });

  it('creates, lists, gets, updates and deletes toxics', async () => {
    const proxy = await client.createProxy({ name: 'db', listen: '127.0.0.1:0', upstream: echo.address });
    const latency = await proxy.addToxic({
      name: 'slow',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 100, jitter: 10 },
    });
    expect(latency.toJson()).to.deep.equal({
      attributes: { latency: 100, jitter: 10 },
      name: 'slow',
      stream: 'downstream',
      toxicity: 1,
      type: 'latency',
    });
    // Defaults as in Toxiproxy: name <type>_<stream>, stream downstream, toxicity 1, missing attributes 0.
    const defaulted = await raw('POST', '/proxies/db/toxics', { type: 'timeout', stream: 'upstream' });
    expect(defaulted.status).to.equal(200);
    expect(defaulted.json).to.deep.equal({
      attributes: { timeout: 0 },
      name: 'timeout_upstream',
      type: 'timeout',
      stream: 'upstream',
      toxicity: 1,
    });

    const list = await raw('GET', '/proxies/db/toxics');
    expect((list.json as { name: string }[]).map((t) => t.name)).to.deep.equal(['timeout_upstream', 'slow']);

    const updated = await latency.update({ ...latency.toJson(), attributes: { latency: 50, jitter: 0 }, toxicity: 0.5 });
    expect(updated.attributes).to.deep.equal({ latency: 50, jitter: 0 });
    expect(updated.toxicity).to.equal(0.5);
    const patched = await raw('PATCH', '/proxies/db/toxics/slow', { attributes: { jitter: 5 } });
    expect(patched.json).to.deep.include({ attributes: { latency: 50, jitter: 5 }, toxicity: 0.5 });

    expect((await proxy.getToxic('slow')).toJson().attributes).to.deep.equal({ latency: 50, jitter: 5 });
    await (await proxy.getToxic('slow')).remove();
    expect((await client.get('db')).toJson()).to.not.have.property('toxics');
    const after = await raw('GET', '/proxies/db');
    expect((after.json as { toxics: { name: string }[] }).toxics.map((t) => t.name)).to.deep.equal(['timeout_upstream']);

    expect((await raw('POST', '/reset')).status).to.equal(204);
    expect((await raw('GET', '/proxies/db/toxics')).json).to.deep.equal([]);
  });

  it('answers 409 on a duplicate proxy or toxic, with Toxiproxy error bodies', async () => {
    const proxy = await client.createProxy({ name: 'db', listen: '127.0.0.1:0', upstream: echo.address });
    let caught: unknown = null;
    await client.createProxy({ name: 'db', listen: '127.0.0.1:0', upstream: echo.address }).catch((e: unknown) => (caught = e));
    expect(String(caught)).to.match(/status code 409/);
    expect(await raw('POST', '/proxies', { name: 'db', upstream: echo.address })).to.deep.include({
      status: 409,
      json: { error: 'proxy already exists', status: 409 },
    });

    await proxy.addToxic({ name: 't', type: 'noop' as never, stream: 'downstream', toxicity: 1, attributes: {} });
    caught = null;
    await proxy.addToxic({ name: 't', type: 'noop' as never, stream: 'upstream', toxicity: 1, attributes: {} }).catch((e: unknown) => (caught = e));
    expect(String(caught)).to.match(/status code 409/);
    expect(await raw('POST', '/proxies/db/toxics', { name: 't', type: 'noop' })).to.deep.include({
      status: 409,
      json: { error: 'toxic already exists', status: 409 },
    });
  });

  it('answers 404 on a missing proxy or toxic, with Toxiproxy error bodies', async () => {
    let caught: unknown = null;
    await client.get('nope').catch((e: unknown) => (caught = e));
    expect(String(caught)).to.match(/status code 404/);
    const proxyMissing = { status: 404, json: { error: 'proxy not found', status: 404 } };
    expect(await raw('GET', '/proxies/nope')).to.deep.include(proxyMissing);
    expect(await raw('DELETE', '/proxies/nope')).to.deep.include(proxyMissing);
    expect(await raw('POST', '/proxies/nope/toxics', { type: 'noop' })).to.deep.include(proxyMissing);

    const proxy = await client.createProxy({ name: 'db', listen: '127.0.0.1:0', upstream: echo.address });
    caught = null;
    await proxy.getToxic('nope').catch((e: unknown) => (caught = e));
    expect(String(caught)).to.match(/status code 404/);
    const toxicMissing = { status: 404, json: { error: 'toxic not found', status: 404 } };
    expect(await raw('GET', '/proxies/db/toxics/nope')).to.deep.include(toxicMissing);
    expect(await raw('PATCH', '/proxies/db/toxics/nope', { toxicity: 1 })).to.deep.include(toxicMissing);
    expect(await raw('DELETE', '/proxies/db/toxics/nope')).to.deep.include(toxicMissing);
    expect((await raw('GET', '/nothing-here')).status).to.equal(404);
  });

  it('answers 400 on bad input, including values with which the real server would crash', async () => {
    let caught: unknown = null;
    await client.createProxy({ name: '', listen: '127.0.0.1:0', upstream: echo.address }).catch((e: unknown) => (caught = e));
    expect(String(caught)).to.match(/status code 400/);
    expect(await raw('POST', '/proxies', { name: 'x' })).to.deep.include({
      status: 400,
      json: { error: 'missing required field: upstream', status: 400 },
    });
    expect((await raw('POST', '/proxies', '{not json')).json).to.deep.include({ status: 400 });
    expect(((await raw('POST', '/proxies', '{not json')).json as { error: string }).error).to.match(/^bad request body: /);

    await client.createProxy({ name: 'db', listen: '127.0.0.1:0', upstream: echo.address });
    expect(await raw('POST', '/proxies/db/toxics', { type: 'latency', stream: 'sideways' })).to.deep.include({
      status: 400,
      json: { error: 'stream was invalid, can be either upstream or downstream', status: 400 },
    });
    expect(await raw('POST', '/proxies/db/toxics', { type: 'explode' })).to.deep.include({
      status: 400,
      json: { error: 'invalid toxic type', status: 400 },
    });
    // Values with which the real server panics or stalls the connection (real-server-failures.test.ts shows each).
    const crashing: [string, Record<string, number>, RegExp][] = [
      ['bandwidth', { rate: -1 }, /rate/],
      ['bandwidth', { rate: 0 }, /rate/],
      ['slicer', { average_size: 0 }, /average_size/],
      ['slicer', { average_size: 10, size_variation: 12 }, /size_variation/],
    ];
    for (const [type, attributes, message] of crashing) {
      const reply = await raw('POST', '/proxies/db/toxics', { type, attributes });
      expect(reply.status, `${type} ${JSON.stringify(attributes)}`).to.equal(400);
      expect((reply.json as { error: string }).error).to.match(/^bad request body: /).and.to.match(message);
    }
    expect(await raw('POST', '/proxies/db/toxics', { type: 'latency', attributes: { latency: 1.5 } })).to.deep.include({
      status: 400,
      json: { error: 'bad request body: json: cannot unmarshal number 1.5 into Go struct field LatencyToxic.attributes.latency of type int64', status: 400 },
    });
    caught = null;
    const proxy = await client.get('db');
    await proxy
      .addToxic({ name: 'bw', type: 'bandwidth', stream: 'downstream', toxicity: 1, attributes: { rate: -100 } })
      .catch((e: unknown) => (caught = e));
    expect(String(caught)).to.match(/status code 400/);
    expect((await raw('GET', '/proxies/db/toxics')).json).to.deep.equal([]);
  });
});

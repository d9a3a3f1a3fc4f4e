/**
 * The embedded API's error texts where Toxiproxy 2.12 answers with Go's JSON decoder and net package texts. The
 * expected texts were recorded from the real toxiproxy-server 2.12.0; the conformance suite compares them live where
 * that binary is present, and this test keeps them held where it is not.
 */
import { expect } from 'chai';
import { startToxiproxyServer, type ToxiproxyServer } from '../../src/proxy/server.js';

const MALFORMED: [body: string, error: string][] = [
  ['', 'bad request body: EOF'],
  ['{"name":', 'bad request body: unexpected EOF'],
  ['{"name":"a",}', "bad request body: invalid character '}' looking for beginning of object key string"],
  ['{"a" 1}', "bad request body: invalid character '1' after object key"],
  ['{"a":1 "b":2}', `bad request body: invalid character '"' after object key:value pair`],
  ['{"a":01}', "bad request body: invalid character '1' after object key:value pair"],
  ['{"a":1.}', "bad request body: invalid character '}' after decimal point in numeric literal"],
  ['{"a":1e+}', "bad request body: invalid character '}' in exponent of numeric literal"],
  ['{"a":"\\u12zz"}', "bad request body: invalid character 'z' in \\u hexadecimal character escape"],
  ['{"a":"tab\there"}', "bad request body: invalid character '\\t' in string literal"],
  ['{"a":[1,]}', "bad request body: invalid character ']' looking for beginning of value"],
  ['{"a":nulx}', "bad request body: invalid character 'x' in literal null (expecting 'l')"],
  ['\u00ff', "bad request body: invalid character 'Ã' looking for beginning of value"],
  ['[]', 'bad request body: json: cannot unmarshal array into Go value of type toxiproxy.Proxy'],
  ['{"name":1.5}', 'bad request body: json: cannot unmarshal number into Go struct field Proxy.name of type string'],
  ['{"name":"x","upstream":"y","enabled":"yes"}', 'bad request body: json: cannot unmarshal string into Go struct field Proxy.enabled of type bool'],
  ['{"a":1} trailing', 'missing required field: name'],
  ['{"name":"x","upstream":"y","listen":"nonsense"}', 'listen tcp: address nonsense: missing port in address'],
  ['{"name":"x","upstream":"y","listen":"127.0.0.1:99999"}', 'listen tcp: address 99999: invalid port'],
  ['{"name":"x","upstream":"y","listen":":::0"}', 'listen tcp: address :::0: too many colons in address'],
];

const TOXICS: [body: string, error: string][] = [
  ['{"type":"latency","attributes":{"latency":1.5}}', 'bad request body: json: cannot unmarshal number 1.5 into Go struct field LatencyToxic.attributes.latency of type int64'],
  ['{"type":"slicer","attributes":{"delay":"10"}}', 'bad request body: json: cannot unmarshal string into Go struct field SlicerToxic.attributes.delay of type int'],
  ['{"type":"latency","attributes":"x"}', 'bad request body: json: cannot unmarshal string into Go struct field ToxicWrapper.attributes of type toxics.NoopToxic'],
  ['{"type":"noop","toxicity":1e+39}', 'bad request body: json: cannot unmarshal number 1e+39 into Go struct field ToxicWrapper.toxicity of type float32'],
  ['{"type":"latency","attributes":{"latency":9223372036854775808}}', 'bad request body: json: cannot unmarshal number 9223372036854775808 into Go struct field LatencyToxic.attributes.latency of type int64'],
  ['{"type":"explode","stream":"sideways"}', 'stream was invalid, can be either upstream or downstream'],
];

describe('embedded proxy API: Go decoder and net error texts, as Toxiproxy 2.12 writes them', function () {
  let server: ToxiproxyServer;
  before(async () => {
    server = await startToxiproxyServer({ host: '127.0.0.1', port: 0 });
    await fetch(`${server.url}/proxies`, { method: 'POST', body: '{"name":"db","listen":"127.0.0.1:0","upstream":"127.0.0.1:9"}' });
  });
  after(async () => {
    await server.close();
  });

  async function error(path: string, body: string): Promise<{ status: number; text: string; type: string | null }> {
    const response = await fetch(`${server.url}${path}`, { method: 'POST', body });
    return { status: response.status, text: await response.text(), type: response.headers.get('content-type') };
  }

  for (const [body, message] of MALFORMED) {
    it(`POST /proxies ${JSON.stringify(body)} → ${message}`, async () => {
      const answer = await error('/proxies', body);
      const status = message.startsWith('listen tcp') ? 500 : 400;
      expect(answer).to.deep.equal({ status, text: `${JSON.stringify({ error: message, status })}\n`, type: 'text/plain; charset=utf-8' });
    });
  }

  for (const [body, message] of TOXICS) {
    it(`POST /proxies/db/toxics ${body} → ${message}`, async () => {
      expect(await error('/proxies/db/toxics', body)).to.deep.equal({ status: 400, text: `${JSON.stringify({ error: message, status: 400 })}\n`, type: 'text/plain; charset=utf-8' });
    });
  }

  it('GET /version answers exactly as Toxiproxy 2.12 does, with a request id', async () => {
    const response = await fetch(`${server.url}/version`);
    expect(await response.text()).to.equal('{"version": "2.12.0"}\n');
    expect(response.headers.get('content-type')).to.equal('application/json;charset=utf-8');
    expect(response.headers.get('x-toxiproxy-request-id')).to.match(/^[0-9a-v]{20}$/);
  });
});

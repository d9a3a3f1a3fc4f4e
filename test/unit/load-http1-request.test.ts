/**
 * The bytes the open-model driver writes for each request: encoded once, with the headers the user gave, the host
 * and keep-alive the driver adds unless given, and a content-length that frames the body; headers that would break
 * that framing are refused before anything is sent (exit 2).
 */
import { expect } from 'chai';
import { encodeRequest } from '../../src/load/http1-request.js';

const url = new URL('http://127.0.0.1:8080/orders?x=1');

describe('the open-model driver\'s encoded request', () => {
  it('writes the request line, host, keep-alive and the user\'s headers, with no body for a GET', () => {
    const { bytes, head } = encodeRequest(url, 'GET', { 'x-run': 'gt' }, undefined);
    expect(bytes.toString('latin1')).to.equal('GET /orders?x=1 HTTP/1.1\r\nhost: 127.0.0.1:8080\r\nconnection: keep-alive\r\nx-run: gt\r\n\r\n');
    expect(head).to.equal(false);
  });

  it('frames a body with its length in bytes (UTF-8), and says content-length: 0 for a POST without one', () => {
    expect(encodeRequest(url, 'POST', {}, '{"name":"é"}').bytes.toString()).to.match(/content-length: 13\r\n\r\n\{"name":"é"\}$/);
    expect(encodeRequest(url, 'POST', {}, undefined).bytes.toString()).to.match(/content-length: 0\r\n\r\n$/);
    expect(encodeRequest(url, 'HEAD', {}, undefined).head).to.equal(true);
  });

  it('lets the user\'s host and connection headers replace the driver\'s', () => {
    const text = encodeRequest(url, 'GET', { Host: 'shop.example', Connection: 'close' }, undefined).bytes.toString();
    expect(text).to.equal('GET /orders?x=1 HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n');
  });

  it('refuses a header value with a line break, a name that is not a token, and framing headers (exit 2)', () => {
    const refused: Record<string, string>[] = [{ 'x-a': 'ok\r\nx-injected: 1' }, { 'bad name': 'x' }, { 'Content-Length': '5' }, { 'transfer-encoding': 'chunked' }];
    for (const headers of refused) {
      expect(() => encodeRequest(url, 'POST', headers, 'hello'))
        .to.throw(/^load\.headers: /)
        .that.deep.includes({ code: 'E_LOAD_HEADERS', exitCode: 2 });
    }
  });
});

/** Parsing k6's JSON output lines (the format documented for `k6 run --out json=…`). */
import { expect } from 'chai';
import { parseK6Line } from '../../src/load/k6-points.js';

describe('k6 JSON output lines', () => {
  it('turns an http_req_duration point into a request placed at its send time (k6 stamps the end), with status class and latency', () => {
    const line = '{"type":"Point","data":{"time":"2017-05-09T14:34:45.239531499+02:00","value":459.865729,"tags":{"group":"::my group::json","method":"GET","status":"200","url":"https://httpbin.test.k6.io/get"}},"metric":"http_req_duration"}';
    expect(parseK6Line(line)).to.deep.equal({ metric: 'http_req_duration', request: { at: Date.UTC(2017, 4, 9, 12, 34, 45, 239) - 459.865729, kind: '2xx', latencyMs: 459.865729 } });
  });

  it('keeps a timeout\'s duration as its latency (it counts at its timeout) and reads dropped_iterations', () => {
    const timeout = JSON.stringify({ type: 'Point', metric: 'http_req_duration', data: { time: '2024-01-01T00:00:10Z', value: 10_000, tags: { status: '0', error_code: '1050' } } });
    expect(parseK6Line(timeout)).to.deep.equal({ metric: 'http_req_duration', request: { at: Date.UTC(2024, 0, 1), kind: 'timeout', latencyMs: 10_000 } });
    const refused = JSON.stringify({ type: 'Point', metric: 'http_req_duration', data: { time: '2024-01-01T00:00:00Z', value: 0, tags: { status: '0', error_code: '1212' } } });
    expect(parseK6Line(refused)).to.deep.equal({ metric: 'http_req_duration', request: { at: Date.UTC(2024, 0, 1), kind: 'refused', latencyMs: null } });
    const dropped = JSON.stringify({ type: 'Point', metric: 'dropped_iterations', data: { time: '2024-01-01T00:00:01Z', value: 1, tags: { scenario: 'open' } } });
    expect(parseK6Line(dropped)).to.deep.equal({ metric: 'dropped_iterations', at: Date.UTC(2024, 0, 1, 0, 0, 1), value: 1 });
  });

  it('classifies transport errors by error_code, falling back to the error text', () => {
    const point = (tags: object) => JSON.stringify({ type: 'Point', metric: 'http_req_duration', data: { time: '2024-01-01T00:00:00Z', value: 3, tags } });
    const kind = (tags: object) => (parseK6Line(point(tags)) as { request: { kind: string } }).request.kind;
    expect(kind({ status: '0', error_code: '1212' })).to.equal('refused');
    expect(kind({ status: '0', error_code: '1220' })).to.equal('reset');
    expect(kind({ status: '0', error_code: '1050' })).to.equal('timeout');
    expect(kind({ status: '0', error: 'dial tcp 127.0.0.1:1: connect: connection refused' })).to.equal('refused');
    expect(kind({ status: '503' })).to.equal('5xx');
  });

  it('ignores metric declarations, other metrics and broken lines; counts http_reqs and http_req_failed', () => {
    expect(parseK6Line('{"type":"Metric","data":{"type":"trend","contains":"time"},"metric":"http_req_duration"}')).to.equal(null);
    expect(parseK6Line('{"type":"Point","data":{"time":"2024-01-01T00:00:00Z","value":5,"tags":null},"metric":"vus"}')).to.equal(null);
    expect(parseK6Line('{"type":"Poi')).to.equal(null);
    expect(parseK6Line('{"type":"Point","data":{"time":"2024-01-01T00:00:00Z","value":1,"tags":{}},"metric":"http_req_failed"}')).to.deep.equal({ metric: 'http_req_failed', value: 1 });
  });
});

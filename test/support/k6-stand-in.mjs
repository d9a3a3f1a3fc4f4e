#!/usr/bin/env node
// A stand-in for `k6 run` (k6 cannot be installed on these machines). It takes the arguments the k6 driver passes
// (`run --quiet --out json=FILE -e K=V ... SCRIPT`), sends real GET requests to __ENV.TARGET every 20 ms, and
// writes k6's documented JSON output: a `Metric` line per metric, then per request one `Point` each of http_reqs,
// http_req_duration and http_req_failed, tagged with status (and error / error_code on transport errors).
// SIGINT stops it gracefully, like k6. STAND_IN_FAIL=1 makes it exit 107 at once (a script error in k6).
import { appendFileSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const out = args.find((a) => a.startsWith('json='))?.slice(5);
const env = {};
args.forEach((a, i) => {
  if (a === '-e') {
    const [k, ...v] = args[i + 1].split('=');
    env[k] = v.join('=');
  }
});
if (args[0] !== 'run' || !out || !env.TARGET) {
  process.stderr.write('stand-in: expected run --out json=FILE -e TARGET=url SCRIPT\n');
  process.exit(2);
}
if (process.env.STAND_IN_FAIL === '1') {
  process.stderr.write('ERRO[0000] script exception\n');
  process.exit(107);
}
const line = (o) => appendFileSync(out, `${JSON.stringify(o)}\n`);
writeFileSync(out, '');
for (const [metric, type, contains] of [['http_reqs', 'counter', 'default'], ['http_req_duration', 'trend', 'time'], ['http_req_failed', 'rate', 'default']]) {
  line({ type: 'Metric', data: { type, contains, tainted: null, thresholds: [], submetrics: null }, metric });
}
// RFC 3339 with nanoseconds and a zone offset, as k6 writes it.
const stamp = (ms) => {
  const d = new Date(ms + 2 * 3600_000);
  return `${d.toISOString().slice(0, 19)}.${String(ms % 1000).padStart(3, '0')}123456+02:00`;
};
let stopping = false;
process.on('SIGINT', () => (stopping = true));
let sent = 0;
while (!stopping && sent < 10_000) {
  const started = performance.now();
  const tags = { group: '', method: 'GET', name: env.TARGET, proto: 'HTTP/1.1', scenario: 'default', url: env.TARGET, expected_response: 'true' };
  try {
    const res = await fetch(env.TARGET);
    await res.arrayBuffer();
    tags.status = String(res.status);
    tags.expected_response = String(res.status < 400);
  } catch (error) {
    tags.status = '0';
    tags.expected_response = 'false';
    const refused = String(error?.cause?.code) === 'ECONNREFUSED';
    tags.error = refused ? 'dial: connection refused' : String(error?.cause?.message ?? error);
    tags.error_code = refused ? '1212' : '1000';
  }
  const time = stamp(Date.now());
  const duration = performance.now() - started;
  line({ type: 'Point', data: { time, value: 1, tags }, metric: 'http_reqs' });
  line({ type: 'Point', data: { time, value: duration, tags }, metric: 'http_req_duration' });
  line({ type: 'Point', data: { time, value: tags.expected_response === 'true' ? 0 : 1, tags }, metric: 'http_req_failed' });
  sent++;
  await new Promise((r) => setTimeout(r, 20));
}
process.exit(0);

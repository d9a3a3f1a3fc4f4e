// A steady GET load for `load: { type: k6, script: scenarios/k6/steady-get.ts, env: { TARGET: ... } }`.
// chaosdrill stops k6 (SIGINT) when the method ends, so the duration here is only an upper bound.
import { check, sleep } from 'k6';
import http from 'k6/http';
import type { Options } from 'k6/options';

export const options: Options = {
  vus: Number(__ENV.VUS ?? 10),
  duration: __ENV.DURATION ?? '30m',
};

export default function (): void {
  const res = http.get(__ENV.TARGET ?? 'http://127.0.0.1:8080/');
  check(res, { 'status is 2xx': (r) => r.status >= 200 && r.status < 300 });
  sleep(Number(__ENV.PAUSE ?? 0.05));
}

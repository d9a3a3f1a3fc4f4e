/**
 * Load with autocannon, in-process: a closed model (`connections`, each waiting for its answer) or a rate-limited
 * one (`rate` requests per second over all connections). Every response and every error goes into the timeline
 * through autocannon's `response` and `reqError` events, stamped when it arrived.
 */
import autocannon from 'autocannon';
import type { Json } from '../json.js';
import { errorKind, statusKind } from '../measure/outcome.js';
import type { Timeline } from '../measure/timeline.js';
import type { AutocannonLoad } from './load-schema.js';
import type { LoadDriver } from './load-driver.js';

/** Long enough for any run; the driver is stopped explicitly. */
const UNBOUNDED_SECONDS = 7 * 24 * 3600;

export function autocannonDriver(config: AutocannonLoad, timeline: Timeline): LoadDriver {
  let instance: autocannon.Instance | null = null;
  let done: Promise<autocannon.Result | null> = Promise.resolve(null);
  let stopped: Promise<Json> | null = null;
  let responses = 0;
  let errors = 0;
  return {
    name: 'autocannon',
    async start() {
      // autocannon gives a client a rate of 0 (meaning unlimited) when there are more connections than req/s.
      const connections = config.rate === undefined ? config.connections : Math.max(1, Math.min(config.connections, Math.floor(config.rate)));
      const options: autocannon.Options = {
        url: config.url,
        method: config.method,
        headers: config.headers,
        connections,
        duration: UNBOUNDED_SECONDS,
        timeout: Math.max(1, Math.ceil(config.timeout / 1000)),
        ...(config.body === undefined ? {} : { body: config.body }),
        ...(config.rate === undefined ? {} : { overallRate: config.rate }),
      };
      done = new Promise((resolve) => {
        instance = autocannon(options, (error, result) => resolve(error ? null : result));
      });
      const running = instance as unknown as autocannon.Instance;
      running.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
        responses++;
        timeline.record(Date.now(), statusKind(statusCode), responseTime);
      });
      running.on('reqError', (error: unknown) => {
        errors++;
        timeline.record(Date.now(), errorKind(error), null);
      });
    },
    stop() {
      stopped ??= (async () => {
        const running = instance as (autocannon.Instance & { stop(): void }) | null;
        running?.stop();
        const result = await done;
        return {
          driver: 'autocannon',
          connections: config.connections,
          rate: config.rate ?? null,
          responses,
          errors,
          autocannon: result ? { requests: result.requests.total, errors: result.errors, timeouts: result.timeouts } : null,
        };
      })();
      return stopped;
    },
  };
}

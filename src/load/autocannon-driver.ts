/**
 * Load with autocannon, in-process: a closed model (`connections`, each waiting for its answer) or a rate-limited
 * one (`rate` requests per second over all connections). Every response and every error goes into the timeline
 * through autocannon's `response` and `reqError` events, stamped when it arrived.
 *
 * autocannon limits a rate by counting each client's requests per second and resetting the count every second, so
 * one instance sends each second's requests in a burst at the start of the second: a 100 ms bucket holds all of them
 * and the next nine hold none. To offer an even rate, the rate is split over up to LANES instances started
 * 1000/LANES ms apart: each second then holds LANES smaller bursts, one per bucket at the default bucket size.
 */
import autocannon from 'autocannon';
import type { Json } from '../json.js';
import { errorKind, statusKind } from '../measure/outcome.js';
import type { Timeline } from '../measure/timeline.js';
import type { AutocannonLoad } from './load-schema.js';
import type { LoadDriver } from './load-driver.js';

/** Long enough for any run; the driver is stopped explicitly. */
const UNBOUNDED_SECONDS = 7 * 24 * 3600;
/** Instances a rate is split over: one per 100 ms of each second. */
const LANES = 10;

interface Lane {
  rate: number | undefined;
  connections: number;
  delayMs: number;
}

/** Splits `total` into `parts` integers that differ by at most one, largest first. */
function split(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

/** The instances to start: one for a closed model or a rate under 2/s, else up to LANES staggered ones. */
export function planLanes(config: Pick<AutocannonLoad, 'rate' | 'connections'>): Lane[] {
  const { rate, connections } = config;
  // autocannon gives a client a rate of 0 (meaning unlimited) when there are more connections than req/s.
  if (rate === undefined) return [{ rate: undefined, connections, delayMs: 0 }];
  if (rate < 2) return [{ rate, connections: 1, delayMs: 0 }];
  const lanes = Math.min(LANES, Math.floor(rate));
  const rates = split(Math.round(rate), lanes);
  const conns = split(Math.max(connections, lanes), lanes);
  return rates.map((r, i) => ({ rate: r, connections: Math.max(1, Math.min(conns[i]!, r)), delayMs: Math.round((i * 1000) / lanes) }));
}

export function autocannonDriver(config: AutocannonLoad, timeline: Timeline): LoadDriver {
  const instances: autocannon.Instance[] = [];
  const results: Promise<autocannon.Result | null>[] = [];
  const timers: NodeJS.Timeout[] = [];
  let stopping = false;
  let stopped: Promise<Json> | null = null;
  let responses = 0;
  let errors = 0;

  const startLane = (lane: Lane) => {
    if (stopping) return;
    const options: autocannon.Options = {
      url: config.url,
      method: config.method,
      headers: config.headers,
      connections: lane.connections,
      duration: UNBOUNDED_SECONDS,
      timeout: Math.max(1, Math.ceil(config.timeout / 1000)),
      ...(config.body === undefined ? {} : { body: config.body }),
      ...(lane.rate === undefined ? {} : { overallRate: lane.rate }),
    };
    let instance: autocannon.Instance | null = null;
    results.push(new Promise((resolve) => {
      instance = autocannon(options, (error, result) => resolve(error ? null : result));
    }));
    const running = instance as unknown as autocannon.Instance;
    instances.push(running);
    running.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      responses++;
      timeline.record(Date.now(), statusKind(statusCode), responseTime);
    });
    running.on('reqError', (error: unknown) => {
      errors++;
      timeline.record(Date.now(), errorKind(error), null);
    });
  };

  return {
    name: 'autocannon',
    async start() {
      const lanes = planLanes(config);
      for (const lane of lanes) {
        if (lane.delayMs === 0) startLane(lane);
        else timers.push(setTimeout(() => startLane(lane), lane.delayMs));
      }
    },
    stop() {
      stopped ??= (async () => {
        stopping = true;
        for (const timer of timers) clearTimeout(timer);
        for (const running of instances) (running as autocannon.Instance & { stop(): void }).stop();
        const settled = await Promise.all(results);
        const all = settled.filter((r): r is autocannon.Result => r !== null);
        return {
          driver: 'autocannon',
          connections: config.connections,
          rate: config.rate ?? null,
          instances: instances.length,
          responses,
          errors,
          autocannon:
            all.length === settled.length && all.length > 0
              ? {
                  requests: all.reduce((n, r) => n + r.requests.total, 0),
                  errors: all.reduce((n, r) => n + r.errors, 0),
                  timeouts: all.reduce((n, r) => n + r.timeouts, 0),
                }
              : null,
        };
      })();
      return stopped;
    },
  };
}

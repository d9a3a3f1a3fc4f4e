/**
 * Load with autocannon, in-process: the closed model (`connections`, each waiting for its answer before it sends
 * again), optionally limited to `rate` requests per second over all connections. Every response and every error
 * goes into the timeline through autocannon's `response` and `reqError` events, placed at the moment the request
 * was sent (the answer's arrival minus its latency).
 *
 * A closed model hides stalls: a connection stuck on one request sends nothing else, so the requests its users
 * would have sent meanwhile never exist (coordinated omission). With `rate`, each connection was meant to send one
 * request every connections/rate seconds, so its latencies are corrected as HdrHistogram does
 * (recordValueWithExpectedInterval: a 2 s answer on a connection meant to send every 50 ms also stands for the
 * answers of 1.95 s, 1.9 s … that were never sent). autocannon's own correction cannot be used: it applies to its
 * own histogram only, with an interval of ceil(1/rate) ms where 1000/rate was meant. Without `rate` there is no
 * schedule to correct against, and results say the figure is uncorrected.
 *
 * autocannon limits a rate by counting each client's requests per second and resetting the count every second, so
 * one instance sends each second's requests in a burst at the start of the second: a 100 ms bucket holds all of them
 * and the next nine hold none. To offer an even rate, the rate is split over up to LANES instances started
 * 1000/LANES ms apart: each second then holds LANES smaller bursts, one per bucket at the default bucket size.
 */
import autocannon from 'autocannon';
import type { Json } from '../json.js';
import { errorKind, statusKind, type OutcomeKind } from '../measure/request-outcome.js';
import type { LoadRecorder } from '../measure/timeline.js';
import type { AutocannonLoad } from '../experiment/load-schema.js';
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
  return rates.map((r, i) => ({ rate: r, connections: Math.max(1, Math.min(conns[i], r)), delayMs: Math.round((i * 1000) / lanes) }));
}

export function autocannonDriver(config: AutocannonLoad, timeline: LoadRecorder): LoadDriver {
  const instances: autocannon.Instance[] = [];
  const results: Promise<autocannon.Result | null>[] = [];
  const timers: NodeJS.Timeout[] = [];
  let stopping = false;
  let stopped: Promise<Json> | null = null;
  let responses = 0;
  let errors = 0;

  const startLane = (lane: Lane) => {
    if (stopping) return;
    const expectedIntervalMs = lane.rate === undefined ? undefined : (1000 * lane.connections) / lane.rate;
    const options: autocannon.Options = {
      url: config.url,
      method: config.method,
      headers: config.headers,
      connections: lane.connections,
      duration: UNBOUNDED_SECONDS,
      // Seconds, fractions allowed; the schema keeps it at 1 s or more (autocannon's minimum).
      timeout: config.timeout / 1000,
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
      timeline.record(Date.now() - responseTime, statusKind(statusCode), responseTime, expectedIntervalMs);
    });
    running.on('reqError', (error: unknown) => {
      errors++;
      const kind: OutcomeKind = errorKind(error);
      // A timeout is counted at its timeout (it was sent that long ago); other errors came at once.
      if (kind === 'timeout') timeline.record(Date.now() - config.timeout, kind, config.timeout, expectedIntervalMs);
      else timeline.record(Date.now(), kind, null);
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
          model: 'closed',
          latency: config.rate === undefined ? 'uncorrected' : 'corrected for coordinated omission',
          timeoutMs: config.timeout,
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

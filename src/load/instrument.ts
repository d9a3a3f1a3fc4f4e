/**
 * What a `load:` section makes of the load as a measuring instrument (src/measure/load-instrument.ts).
 */
import type { LoadInstrument } from '../measure/load-instrument.js';
import type { LoadConfig } from '../experiment/load-schema.js';

/** autocannon cannot drop: a closed model that falls behind simply sends less. */
const CLOSED_ALLOW_DROPPED = 0;

export function instrumentOf(load: LoadConfig): LoadInstrument {
  switch (load.type) {
    case 'http':
      return { driver: 'http', model: 'open', latency: 'from the scheduled send time', countsIntended: true, configuredRate: null, timeoutMs: load.timeout, allowDropped: load.allowDropped };
    case 'autocannon':
      return {
        driver: 'autocannon',
        model: 'closed',
        latency: load.rate === undefined ? 'uncorrected' : 'corrected for coordinated omission',
        countsIntended: false,
        configuredRate: load.rate ?? null,
        timeoutMs: load.timeout,
        allowDropped: CLOSED_ALLOW_DROPPED,
      };
    case 'k6':
      return { driver: 'k6', model: 'set by the k6 script', latency: 'as k6 reports it', countsIntended: false, configuredRate: null, timeoutMs: null, allowDropped: load.allowDropped };
  }
}

/**
 * The load driver for a `load:` section, by its `type`: `http` (open model), `autocannon` (closed model), `k6`.
 */
import type { LoadRecorder } from '../measure/timeline.js';
import { autocannonDriver } from './autocannon-driver.js';
import { httpDriver } from './http-driver.js';
import { k6Driver, type K6DriverOptions } from './k6-driver.js';
import type { LoadDriver } from './load-driver.js';
import type { LoadConfig } from '../experiment/load-schema.js';

export function createLoadDriver(config: LoadConfig, recorder: LoadRecorder, k6Options: K6DriverOptions): LoadDriver {
  switch (config.type) {
    case 'http':
      return httpDriver(config, recorder);
    case 'autocannon':
      return autocannonDriver(config, recorder);
    case 'k6':
      return k6Driver(config, recorder, k6Options);
  }
}

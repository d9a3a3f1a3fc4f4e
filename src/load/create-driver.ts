/**
 * The load driver for a `load:` section, by its `type`: `http` (open model), `autocannon` (closed model), `k6`.
 * Each driver's module is imported when a run uses it: autocannon brings ~60 CommonJS packages, which a run with the
 * open model would otherwise load before its first step.
 */
import type { LoadRecorder } from '../measure/timeline.js';
import type { K6DriverOptions } from './k6-driver.js';
import type { LoadDriver } from './load-driver.js';
import type { LoadConfig } from '../experiment/load-schema.js';

export async function createLoadDriver(config: LoadConfig, recorder: LoadRecorder, k6Options: K6DriverOptions): Promise<LoadDriver> {
  switch (config.type) {
    case 'http':
      return (await import('./http-driver.js')).httpDriver(config, recorder);
    case 'autocannon':
      return (await import('./autocannon-driver.js')).autocannonDriver(config, recorder);
    case 'k6':
      return (await import('./k6-driver.js')).k6Driver(config, recorder, k6Options);
  }
}

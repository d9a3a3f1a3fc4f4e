/**
 * A load driver generates traffic for the whole method and records every request into the run's timeline.
 * Started before the first fault, stopped after the method.
 */
import type { Json } from '../json.js';

export interface LoadDriver {
  /** e.g. "autocannon". */
  readonly name: string;
  /** Starts the traffic; resolves once it is flowing (or throws a ChaosError when it cannot start). */
  start(): Promise<void>;
  /** Stops the traffic and waits for the last responses; idempotent. Returns the driver's own summary. */
  stop(): Promise<Json>;
}

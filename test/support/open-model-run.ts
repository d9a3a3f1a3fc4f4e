/**
 * Runs the open-model driver (`load: { type: http }`) for a while with its own timeline, for tests.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { httpLoadSchema } from '../../src/experiment/load-schema.js';
import { httpDriver } from '../../src/load/http-driver.js';
import { Timeline } from '../../src/measure/timeline.js';

/** The driver's summary, as its stop() returns it. */
export interface OpenModelSummary {
  startedAt: string;
  durationMs: number;
  intended: number;
  sent: number;
  dropped: number;
  answered: number;
  timeouts: number;
  errors: number;
  peakInFlight: number;
  achievedRate: number;
  schedulingErrorMs: { p50: number; p99: number; max: number };
}

/** Starts the driver with `config` (a `load:` section without its type), stops it after `ms`. */
export async function runOpenModel(config: Record<string, unknown>, ms: number): Promise<{ summary: OpenModelSummary; timeline: Timeline }> {
  const timeline = new Timeline({ startMs: Date.now() });
  const driver = httpDriver(httpLoadSchema.parse({ type: 'http', ...config }), timeline);
  await driver.start();
  await sleep(ms);
  return { summary: (await driver.stop()) as unknown as OpenModelSummary, timeline };
}

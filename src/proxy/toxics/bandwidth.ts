/**
 * bandwidth: at most `rate` KB/s (1 KB = 1000 bytes, as in Toxiproxy). A chunk leaves once the link has had the
 * time to send it at that rate; large chunks leave in pieces of 100 ms worth of bytes, so a slow rate still
 * delivers steadily. Time is counted from a running schedule, so the average rate is exact whatever the timer jitter.
 */
import { performance } from 'node:perf_hooks';
import type { Chunk, Sink } from '../stage.js';
import { TimedQueueStage } from './timed-queue-stage.js';

export class BandwidthStage extends TimedQueueStage {
  /** When the bytes scheduled so far will have been sent at the rate. */
  #free = 0;

  readonly #rate: number;

  constructor(
    next: Sink,
    /** KB/s, at least 1. */
    rate: number,
  ) {
    super(next);
    this.#rate = rate;
  }

  override push(chunk: Chunk): void {
    if (this.ended || this.endPending) return;
    const bytesPerMs = this.#rate; // rate KB/s = rate bytes per ms
    const piece = this.#rate * 100;
    let start = Math.max(performance.now(), this.#free);
    for (let offset = 0; offset < chunk.data.length; offset += piece) {
      const data = chunk.data.subarray(offset, Math.min(chunk.data.length, offset + piece));
      start += data.length / bytesPerMs;
      this.enqueue({ data, at: chunk.at }, start);
    }
    this.#free = start;
  }
}

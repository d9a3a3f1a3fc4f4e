/**
 * latency: each chunk leaves `latency ± jitter` ms after it was read from the source. Chunks keep their order, so
 * a chunk never leaves before the one ahead of it (Toxiproxy's stub delivers them one at a time). Jitter is an
 * integer drawn uniformly from [-jitter, jitter).
 */
import type { Chunk, Sink } from '../stage.js';
import { TimedQueueStage } from './timed-queue-stage.js';

export class LatencyStage extends TimedQueueStage {
  #lastDue = 0;

  readonly #latency: number;
  readonly #jitter: number;

  constructor(
    next: Sink,
    latency: number,
    jitter: number,
  ) {
    super(next);
    this.#latency = latency;
    this.#jitter = jitter;
  }

  override push(chunk: Chunk): void {
    if (this.ended || this.endPending) return;
    const offset = this.#jitter > 0 ? Math.floor(Math.random() * this.#jitter * 2) - this.#jitter : 0;
    const due = Math.max(chunk.at + Math.max(0, this.#latency + offset), this.#lastDue);
    this.#lastDue = due;
    this.enqueue(chunk, due);
  }
}

/**
 * A stage that holds chunks until a time each one is due (latency, bandwidth). Subclasses decide when a chunk is
 * due; this class delivers in order, passes the end on once the queue is empty, and hands everything on at once
 * when the toxic is removed.
 */
import { performance } from 'node:perf_hooks';
import { BaseStage, type Chunk } from '../stage.js';

/** How long before a chunk is due its timer wakes (timers are whole milliseconds and late by up to one). */
const EARLY_WAKE_MS = 1.5;
/** A chunk due within this much is on time. */
const ON_TIME_MS = 0.05;

export abstract class TimedQueueStage extends BaseStage {
  readonly #queue: { chunk: Chunk; due: number }[] = [];
  #timer: NodeJS.Timeout | null = null;
  #immediate: NodeJS.Immediate | null = null;
  protected endPending = false;
  #bytes = 0;

  /** Queues a chunk to leave at `due` (performance.now() time). Chunks must be enqueued in due order. */
  protected enqueue(chunk: Chunk, due: number): void {
    this.#queue.push({ chunk, due });
    this.#bytes += chunk.data.length;
    this.#schedule();
  }

  override end(): void {
    if (this.ended) return;
    if (this.#queue.length === 0) super.end();
    else this.endPending = true;
  }

  override interrupt(): boolean {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#timer = null;
    this.#immediate = null;
    for (const { chunk } of this.#queue.splice(0)) this.next.push(chunk);
    this.#bytes = 0;
    if (this.endPending) super.end();
    return false;
  }

  override held(): number {
    return this.#bytes;
  }

  /**
   * Node's timers run on a whole-millisecond clock and fire up to a millisecond late, which alone would add ~1 ms to
   * every latency. So the timer is set to wake a little early, and the last stretch is waited out on `setImmediate`,
   * which lets I/O run between checks: a chunk leaves within a few tenths of a millisecond of when it is due.
   */
  #schedule(): void {
    if (this.#timer !== null || this.#immediate !== null || this.#queue.length === 0) return;
    const wait = this.#queue[0].due - performance.now();
    if (wait <= EARLY_WAKE_MS) this.#immediate = setImmediate(() => this.#flushDue());
    else this.#timer = setTimeout(() => this.#flushDue(), wait - EARLY_WAKE_MS);
  }

  #flushDue(): void {
    this.#timer = null;
    this.#immediate = null;
    const now = performance.now() + ON_TIME_MS;
    while (this.#queue.length > 0 && this.#queue[0].due <= now) {
      const { chunk } = this.#queue.shift()!;
      this.#bytes -= chunk.data.length;
      this.next.push(chunk);
    }
    if (this.#queue.length > 0) this.#schedule();
    else if (this.endPending) super.end();
  }
}

/**
 * A stage that holds chunks until a time each one is due (latency, bandwidth). Subclasses decide when a chunk is
 * due; this class delivers in order, passes the end on once the queue is empty, and hands everything on at once
 * when the toxic is removed.
 */
import { performance } from 'node:perf_hooks';
import { BaseStage, type Chunk } from '../stage.js';

export abstract class TimedQueueStage extends BaseStage {
  private readonly queue: { chunk: Chunk; due: number }[] = [];
  private timer: NodeJS.Timeout | null = null;
  protected endPending = false;
  private bytes = 0;

  /** Queues a chunk to leave at `due` (performance.now() time). Chunks must be enqueued in due order. */
  protected enqueue(chunk: Chunk, due: number): void {
    this.queue.push({ chunk, due });
    this.bytes += chunk.data.length;
    this.schedule();
  }

  override end(): void {
    if (this.ended) return;
    if (this.queue.length === 0) super.end();
    else this.endPending = true;
  }

  override interrupt(): boolean {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const { chunk } of this.queue.splice(0)) this.next.push(chunk);
    this.bytes = 0;
    if (this.endPending) super.end();
    return false;
  }

  override held(): number {
    return this.bytes;
  }

  private schedule(): void {
    if (this.timer !== null || this.queue.length === 0) return;
    this.timer = setTimeout(() => this.flushDue(), Math.max(0, this.queue[0]!.due - performance.now()));
  }

  private flushDue(): void {
    this.timer = null;
    // Timers fire up to ~1 ms early or late; deliver everything due within half a millisecond.
    const now = performance.now() + 0.5;
    while (this.queue.length > 0 && this.queue[0]!.due <= now) {
      const { chunk } = this.queue.shift()!;
      this.bytes -= chunk.data.length;
      this.next.push(chunk);
    }
    if (this.queue.length > 0) this.schedule();
    else if (this.endPending) super.end();
  }
}

/**
 * latency: each chunk leaves `latency ± jitter` ms after it was read from the source. Chunks keep their order, so
 * a chunk never leaves before the one ahead of it (Toxiproxy's stub delivers them one at a time). Jitter is an
 * integer drawn uniformly from [-jitter, jitter).
 */
import { performance } from 'node:perf_hooks';
import { BaseStage, type Chunk, type Sink } from '../stage.js';

export class LatencyStage extends BaseStage {
  private readonly queue: { chunk: Chunk; due: number }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private lastDue = 0;
  private endPending = false;
  private bytes = 0;

  constructor(
    next: Sink,
    private readonly latency: number,
    private readonly jitter: number,
  ) {
    super(next);
  }

  override push(chunk: Chunk): void {
    if (this.ended || this.endPending) return;
    const offset = this.jitter > 0 ? Math.floor(Math.random() * this.jitter * 2) - this.jitter : 0;
    const due = Math.max(chunk.at + Math.max(0, this.latency + offset), this.lastDue);
    this.lastDue = due;
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
    const wait = this.queue[0]!.due - performance.now();
    this.timer = setTimeout(() => this.flushDue(), Math.max(0, wait));
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

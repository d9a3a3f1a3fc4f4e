/**
 * bandwidth: at most `rate` KB/s (1 KB = 1000 bytes, as in Toxiproxy). A chunk leaves once the link has had the
 * time to send it at that rate; large chunks leave in pieces of 100 ms worth of bytes, so a slow rate still
 * delivers steadily. Time is counted from a running schedule, so the average rate is exact whatever the timer jitter.
 */
import { performance } from 'node:perf_hooks';
import { BaseStage, type Chunk, type Sink } from '../stage.js';

export class BandwidthStage extends BaseStage {
  private readonly queue: { chunk: Chunk; due: number }[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** When the bytes scheduled so far will have been sent at the rate. */
  private free = 0;
  private endPending = false;
  private bytes = 0;

  constructor(
    next: Sink,
    /** KB/s, at least 1. */
    private readonly rate: number,
  ) {
    super(next);
  }

  override push(chunk: Chunk): void {
    if (this.ended || this.endPending) return;
    const bytesPerMs = this.rate; // rate KB/s = rate bytes per ms
    const piece = this.rate * 100;
    let start = Math.max(performance.now(), this.free);
    for (let offset = 0; offset < chunk.data.length; offset += piece) {
      const data = chunk.data.subarray(offset, Math.min(chunk.data.length, offset + piece));
      start += data.length / bytesPerMs;
      this.queue.push({ chunk: { data, at: chunk.at }, due: start });
    }
    this.free = start;
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

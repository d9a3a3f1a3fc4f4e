/**
 * slicer: cuts each chunk into slices of about `average_size` bytes (± `size_variation`), and waits `delay`
 * microseconds after each slice. Slices are found by halving a range around its middle (± the variation) until a
 * range is no bigger than average + variation, so slices vary evenly with no bias at the start or the end.
 */
import { BaseStage, type Chunk, type Sink } from '../stage.js';

export class SlicerStage extends BaseStage {
  private readonly queue: Chunk[] = [];
  private timer: NodeJS.Timeout | null = null;
  private endPending = false;
  private bytes = 0;

  constructor(
    next: Sink,
    private readonly averageSize: number,
    private readonly sizeVariation: number,
    /** Microseconds. */
    private readonly delay: number,
  ) {
    super(next);
  }

  override push(chunk: Chunk): void {
    if (this.ended || this.endPending) return;
    const bounds = this.slices(0, chunk.data.length);
    for (let i = 0; i < bounds.length; i += 2) {
      this.queue.push({ data: chunk.data.subarray(bounds[i]!, bounds[i + 1]!), at: chunk.at });
    }
    this.bytes += chunk.data.length;
    if (this.timer === null) this.sendNext();
  }

  override end(): void {
    if (this.ended) return;
    if (this.queue.length === 0 && this.timer === null) super.end();
    else this.endPending = true;
  }

  override interrupt(): boolean {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const chunk of this.queue.splice(0)) this.next.push(chunk);
    this.bytes = 0;
    if (this.endPending) super.end();
    return false;
  }

  override held(): number {
    return this.bytes;
  }

  /** Sends one slice, then waits the delay before the next (and before ending). */
  private sendNext(): void {
    this.timer = null;
    const slice = this.queue.shift();
    if (slice === undefined) {
      if (this.endPending) super.end();
      return;
    }
    this.bytes -= slice.data.length;
    this.next.push(slice);
    if (this.delay === 0) {
      // No delay: send the rest now, still as separate writes.
      while (this.queue.length > 0) {
        const rest = this.queue.shift()!;
        this.bytes -= rest.data.length;
        this.next.push(rest);
      }
      if (this.endPending) super.end();
      return;
    }
    this.timer = setTimeout(() => this.sendNext(), this.delay / 1000);
  }

  /** Offsets [start0, end0, start1, end1, ...] of the slices of [start, end). */
  private slices(start: number, end: number): number[] {
    if (end - start - this.averageSize <= this.sizeVariation) return [start, end];
    const variation = this.sizeVariation > 0 ? Math.floor(Math.random() * this.sizeVariation * 2) - this.sizeVariation : 0;
    const mid = start + Math.floor((end - start) / 2) + variation;
    return [...this.slices(start, mid), ...this.slices(mid, end)];
  }
}

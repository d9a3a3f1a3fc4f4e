/**
 * slicer: cuts each chunk into slices of about `average_size` bytes (± `size_variation`), and waits `delay`
 * microseconds after each slice. Slices are found as Toxiproxy 2.12 finds them: a range longer than average +
 * variation is halved around its middle (moved by a random amount in [-variation, variation) when the variation is
 * positive), so slices vary evenly with no bias at the start or the end. A halving may leave an empty slice; it is
 * not written, but its delay is kept, as in Toxiproxy. Attributes with which this would not end are refused by the
 * API (toxic-types `refusal`).
 */
import { BaseStage, type Chunk, type Sink } from '../stage.js';

export class SlicerStage extends BaseStage {
  readonly #queue: Chunk[] = [];
  #timer: NodeJS.Timeout | null = null;
  #endPending = false;
  #bytes = 0;

  readonly #averageSize: number;
  readonly #sizeVariation: number;
  readonly #delay: number;

  constructor(
    next: Sink,
    averageSize: number,
    sizeVariation: number,
    /** Microseconds. */
    delay: number,
  ) {
    super(next);
    this.#averageSize = averageSize;
    this.#sizeVariation = sizeVariation;
    this.#delay = delay;
  }

  override push(chunk: Chunk): void {
    if (this.ended || this.#endPending) return;
    const bounds = this.#slices(0, chunk.data.length);
    for (let i = 0; i < bounds.length; i += 2) {
      this.#queue.push({ data: chunk.data.subarray(bounds[i], bounds[i + 1]), at: chunk.at });
    }
    this.#bytes += chunk.data.length;
    if (this.#timer === null) this.#sendNext();
  }

  override end(): void {
    if (this.ended) return;
    if (this.#queue.length === 0 && this.#timer === null) super.end();
    else this.#endPending = true;
  }

  override interrupt(): boolean {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    for (const chunk of this.#queue.splice(0)) this.next.push(chunk);
    this.#bytes = 0;
    if (this.#endPending) super.end();
    return false;
  }

  override held(): number {
    return this.#bytes;
  }

  /** Sends one slice, then waits the delay before the next (and before ending). */
  #sendNext(): void {
    this.#timer = null;
    const slice = this.#queue.shift();
    if (slice === undefined) {
      if (this.#endPending) super.end();
      return;
    }
    this.#bytes -= slice.data.length;
    if (slice.data.length > 0) this.next.push(slice);
    if (this.#delay <= 0) {
      // No delay: send the rest now, still as separate writes.
      while (this.#queue.length > 0) {
        const rest = this.#queue.shift()!;
        this.#bytes -= rest.data.length;
        if (rest.data.length > 0) this.next.push(rest);
      }
      if (this.#endPending) super.end();
      return;
    }
    this.#timer = setTimeout(() => this.#sendNext(), this.#delay / 1000);
  }

  /** Offsets [start0, end0, start1, end1, ...] of the slices of [start, end), without recursion (a chunk may be 64 KB of 1-byte slices). */
  #slices(start: number, end: number): number[] {
    const out: number[] = [];
    const pending: [number, number][] = [[start, end]];
    while (pending.length > 0) {
      const [from, to] = pending.pop()!;
      if (to - from - this.#averageSize <= this.#sizeVariation) {
        out.push(from, to);
        continue;
      }
      const variation = this.#sizeVariation > 0 ? Math.floor(Math.random() * this.#sizeVariation * 2) - this.#sizeVariation : 0;
      const mid = from + Math.floor((to - from) / 2) + variation;
      // Right half first on the stack, so the left half is sliced (and sent) first.
      pending.push([mid, to], [from, mid]);
    }
    return out;
  }
}

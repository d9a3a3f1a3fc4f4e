/**
 * When each request of the open model is meant to leave: request n (0, 1, 2…) at the time t where the number of
 * requests the rate asks for since the start, ∫₀ᵗ rate, reaches n. A constant rate r gives n / r. Stages ramp the
 * rate linearly from the previous one to theirs over their length, as k6's ramping-arrival-rate (the start rate is
 * `rate`, or 0); after the last stage its rate holds until load stops (our load lasts as long as the method).
 */
import type { RampStage } from '../experiment/load-schema.js';

interface Segment {
  /** Start, ms from the start of load. */
  fromMs: number;
  lengthMs: number;
  /** Requests per ms at the start and at the end. */
  fromRate: number;
  toRate: number;
  /** Requests scheduled before the segment. */
  before: number;
}

export class ArrivalSchedule {
  readonly #segments: Segment[] = [];
  /** The rate after the last stage, requests per ms. */
  readonly #finalRate: number;
  readonly #finalFromMs: number;
  readonly #finalBefore: number;
  #segment = 0;

  constructor(rate: number | undefined, stages: readonly RampStage[] = []) {
    let fromMs = 0;
    let fromRate = (rate ?? 0) / 1000;
    let before = 0;
    for (const stage of stages) {
      const toRate = stage.rate / 1000;
      this.#segments.push({ fromMs, lengthMs: stage.for, fromRate, toRate, before });
      before += ((fromRate + toRate) / 2) * stage.for;
      fromMs += stage.for;
      fromRate = toRate;
    }
    this.#finalRate = fromRate;
    this.#finalFromMs = fromMs;
    this.#finalBefore = before;
  }

  /**
   * The scheduled time of request `n`, ms from the start of load; Infinity when the rate has dropped to 0 for good.
   * Calls must come with non-decreasing `n` (the driver asks in order), so finding the segment is amortised O(1).
   */
  at(n: number): number {
    while (this.#segment < this.#segments.length) {
      const s = this.#segments[this.#segment];
      const inSegment = ((s.fromRate + s.toRate) / 2) * s.lengthMs;
      if (n < s.before + inSegment) return s.fromMs + offsetWithin(s, n - s.before);
      this.#segment++;
    }
    if (this.#finalRate <= 0) return Infinity;
    return this.#finalFromMs + (n - this.#finalBefore) / this.#finalRate;
  }
}

/**
 * The x in [0, length) where a linear ramp from `fromRate` to `toRate` has scheduled `count` requests: the root of
 * fromRate·x + (toRate − fromRate)/(2·length)·x² = count, written 2c / (b + √(b² + 4ac)) so that a flat segment
 * (a = 0) and a falling one (a < 0) need no special case.
 */
function offsetWithin(s: Segment, count: number): number {
  const a = (s.toRate - s.fromRate) / (2 * s.lengthMs);
  const b = s.fromRate;
  if (count <= 0) return 0;
  const root = Math.sqrt(Math.max(0, b * b + 4 * a * count));
  return (2 * count) / (b + root);
}

/**
 * Wakes the open-model driver at a given time (performance.now()), within a few tenths of a millisecond when the
 * machine lets it, at a bounded CPU cost.
 *
 * Node's timers count whole milliseconds: setTimeout(f, 2.6) fires about 2 ms later (the fraction is dropped), and
 * nothing sleeps less than 1 ms. A driver that slept for `due − now` woke early, found nothing due, slept the 1 ms
 * minimum and sent up to ~1.1 ms late (0.6 ms at the median), with two wakes for one request. Here one timer sleeps
 * whole milliseconds, and the last stretch, at most SPIN_MS, is waited out on setImmediate (I/O runs between the
 * checks, as in the embedded proxy's timed queue): a due time whose fraction of a millisecond is small is woken
 * just before and spun through; one whose fraction is large is woken just after (at most 1 − SPIN_MS late) rather
 * than spinning most of a millisecond. Spinning keeps a core busy, so it is also capped at SPIN_BUDGET_MS per
 * second: past that (schedules denser than the cap allows), requests leave in whole-millisecond batches.
 */
import { performance } from 'node:perf_hooks';

/** The longest stretch before a due time waited out on setImmediate. */
const SPIN_MS = 0.4;
/** Spinning allowed per BUDGET_WINDOW_MS: a tenth of a core at most (1,000 sends a second spent 4–7 % here). */
const SPIN_BUDGET_MS = 100;
const BUDGET_WINDOW_MS = 1000;

export class WakeTimer {
  #timeout: NodeJS.Timeout | null = null;
  #immediate: NodeJS.Immediate | null = null;
  #due = Infinity;
  #precise = false;
  /** When the current spin began (null: not spinning), and the spinning done in the current budget window. */
  #spinningSince: number | null = null;
  #spunMs = 0;
  #windowStart = 0;

  readonly #wake: () => void;

  constructor(wake: () => void) {
    this.#wake = wake;
  }

  /**
   * Wakes at `due` (replacing any wake set before). `precise`: worth spinning for (a request to send); otherwise
   * whole milliseconds late are fine (a deadline).
   */
  set(due: number, precise: boolean): void {
    this.cancel();
    this.#due = due;
    this.#precise = precise;
    this.#arm(performance.now());
  }

  cancel(): void {
    if (this.#timeout) clearTimeout(this.#timeout);
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#timeout = null;
    this.#immediate = null;
    this.#due = Infinity;
    this.#stopSpinning(performance.now());
  }

  #arm(now: number): void {
    const wait = this.#due - now;
    if (wait === Infinity) return;
    if (wait <= 0) {
      this.#immediate = setImmediate(this.#check);
      return;
    }
    const spin = this.#precise && this.#maySpin(now);
    if (spin && wait <= SPIN_MS) {
      this.#spinningSince ??= now;
      this.#immediate = setImmediate(this.#check);
      return;
    }
    this.#stopSpinning(now);
    const whole = Math.floor(wait);
    this.#timeout = setTimeout(this.#check, spin && whole >= 1 && wait - whole <= SPIN_MS ? whole : Math.ceil(wait));
  }

  /** Timers may fire early and a spin checks often: wake only once the time has come. */
  readonly #check = (): void => {
    this.#timeout = null;
    this.#immediate = null;
    const now = performance.now();
    if (now < this.#due) return this.#arm(now);
    this.#stopSpinning(now);
    this.#due = Infinity;
    this.#wake();
  };

  #maySpin(now: number): boolean {
    if (now - this.#windowStart >= BUDGET_WINDOW_MS) {
      this.#windowStart = now;
      this.#spunMs = 0;
    }
    const spinning = this.#spinningSince === null ? 0 : now - this.#spinningSince;
    return this.#spunMs + spinning < SPIN_BUDGET_MS;
  }

  #stopSpinning(now: number): void {
    if (this.#spinningSince === null) return;
    this.#spunMs += now - this.#spinningSince;
    this.#spinningSince = null;
  }
}

/**
 * slow_close: data passes untouched; when the input ends, the close is held back for `delay` ms.
 */
import { BaseStage, type Sink } from '../stage.js';

export class SlowCloseStage extends BaseStage {
  #timer: NodeJS.Timeout | null = null;

  readonly #delay: number;

  constructor(
    next: Sink,
    delay: number,
  ) {
    super(next);
    this.#delay = delay;
  }

  override end(): void {
    if (this.ended || this.#timer !== null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      super.end();
    }, this.#delay);
  }

  override interrupt(): boolean {
    if (this.#timer === null) return false;
    clearTimeout(this.#timer);
    this.#timer = null;
    super.end();
    return false;
  }
}

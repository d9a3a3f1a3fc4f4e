/**
 * reset_peer: when data (or the end of input) first reaches the toxic, it waits `timeout` ms and then closes both
 * sockets with a TCP RST, so the peer sees "connection reset by peer". The data that triggered it is dropped.
 */
import { BaseStage, type Chunk, type LinkControl, type Sink } from '../stage.js';

export class ResetPeerStage extends BaseStage {
  #timer: NodeJS.Timeout | null = null;
  #triggered = false;

  readonly #timeout: number;
  readonly #control: LinkControl;

  constructor(
    next: Sink,
    timeout: number,
    control: LinkControl,
  ) {
    super(next);
    this.#timeout = timeout;
    this.#control = control;
  }

  override push(_chunk: Chunk): void {
    this.#trigger();
  }

  override end(): void {
    this.#trigger();
  }

  override interrupt(): boolean {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    return false;
  }

  #trigger(): void {
    if (this.#triggered) return;
    this.#triggered = true;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#control.reset();
    }, this.#timeout);
  }
}

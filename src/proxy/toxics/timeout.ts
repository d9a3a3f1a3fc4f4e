/**
 * timeout: no data gets through (it is dropped), and the connection closes once `timeout` ms pass without data
 * arriving (each arriving chunk starts the wait again, as in Toxiproxy). With 0 the connection is held open until
 * the toxic is removed. Removing the toxic closes the connections it was applied to: their data was dropped.
 */
import { BaseStage, type Chunk, type Sink } from '../stage.js';

export class TimeoutStage extends BaseStage {
  #timer: NodeJS.Timeout | null = null;

  readonly #timeout: number;

  constructor(
    next: Sink,
    timeout: number,
  ) {
    super(next);
    this.#timeout = timeout;
    this.#arm();
  }

  override push(_chunk: Chunk): void {
    if (this.ended) return;
    this.#arm();
  }

  override end(): void {
    this.#disarm();
    super.end();
  }

  override interrupt(): boolean {
    this.#disarm();
    super.end();
    return true;
  }

  #arm(): void {
    this.#disarm();
    if (this.#timeout > 0) this.#timer = setTimeout(() => this.end(), this.#timeout);
  }

  #disarm(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}

/**
 * limit_data: lets exactly `bytes` bytes through on this link, then closes the connection. The count survives an
 * update of the toxic (it is the link's state), as in Toxiproxy.
 */
import { BaseStage, type Chunk, type Sink, type StageState } from '../stage.js';

export class LimitDataStage extends BaseStage {
  readonly #limit: number;
  readonly #state: StageState;

  constructor(
    next: Sink,
    limit: number,
    state: StageState,
  ) {
    super(next);
    this.#limit = limit;
    this.#state = state;
  }

  override push(chunk: Chunk): void {
    if (this.ended) return;
    const remaining = Math.max(0, this.#limit - this.#state.transmitted);
    const data = remaining < chunk.data.length ? chunk.data.subarray(0, remaining) : chunk.data;
    if (data.length > 0) {
      this.#state.transmitted += data.length;
      this.next.push({ data, at: chunk.at });
    }
    if (this.#limit - this.#state.transmitted <= 0) this.end();
  }
}

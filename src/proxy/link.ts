/**
 * One direction of a proxied connection: bytes read from `source` go through the toxics of that direction and are
 * written to `dest`. With no toxic, chunks go straight to `dest` (the fast path); toxics are inserted and removed
 * while the connection runs. Backpressure: the source is paused while `dest` is full or the toxics hold too much.
 *
 * The bytes arrive either as the source's `data` events, or (`pushed`) through `receive`, from a socket that reads
 * into pooled buffers (connection.ts): such a buffer is lent, and handed back once written or copied.
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createStage, type ToxicDefinition } from './toxics/create-stage.js';
import type { Chunk, LinkControl, Sink, Stage, StageState } from './stage.js';

/** Pause the source when the toxics of a link hold this many bytes; resume below half of it. */
const HELD_HIGH_WATER = 1 << 20;
const HELD_POLL_MS = 5;

interface Slot {
  name: string;
  stage: Stage;
  state: StageState;
}

export class Link {
  readonly #slots: Slot[] = [];
  readonly #tail: Sink;
  #head: Sink;
  #paused = false;
  #heldTimer: NodeJS.Timeout | null = null;
  #inputEnded = false;
  #outputEnded = false;

  readonly #source: Socket;
  readonly #dest: Socket;
  readonly #control: LinkControl;
  readonly #onOutputEnd: () => void;

  constructor(
    source: Socket,
    dest: Socket,
    control: LinkControl,
    /** Called once when the output ended: the connection closes. */
    onOutputEnd: () => void,
    /** The bytes come through `receive`, not `data` events. */
    pushed = false,
  ) {
    this.#source = source;
    this.#dest = dest;
    this.#control = control;
    this.#onOutputEnd = onOutputEnd;
    this.#tail = {
      push: (chunk: Chunk) => {
        if (this.#outputEnded || dest.destroyed) return;
        if (!dest.write(chunk.data) && !this.#paused) this.#pauseUntilDrain();
      },
      end: () => {
        if (this.#outputEnded) return;
        this.#outputEnded = true;
        this.#onOutputEnd();
      },
    };
    this.#head = this.#tail;
    if (!pushed) source.on('data', (data: Buffer) => this.#onData(data));
    const onInputEnd = () => {
      if (this.#inputEnded) return;
      this.#inputEnded = true;
      this.#head.end();
    };
    source.on('end', onInputEnd);
    source.on('close', onInputEnd);
  }

  /** Appends a toxic to the end of the chain. */
  addToxic(name: string, toxic: ToxicDefinition, state: StageState = { transmitted: 0 }): void {
    const stage = createStage(toxic, this.#tail, state, this.#control);
    const last = this.#slots.at(-1);
    if (last) last.stage.next = stage;
    else this.#head = stage;
    this.#slots.push({ name, stage, state });
  }

  /** Takes a toxic out of the chain; what it holds goes on at once. */
  removeToxic(name: string): void {
    const index = this.#slots.findIndex((s) => s.name === name);
    if (index < 0) return;
    const slot = this.#slots[index];
    slot.stage.interrupt();
    const next = slot.stage.next;
    if (index === 0) this.#head = next;
    else this.#slots[index - 1].stage.next = next;
    this.#slots.splice(index, 1);
  }

  /** Replaces a toxic's stage in place (new attributes or toxicity); its per-link state carries over. */
  updateToxic(name: string, toxic: ToxicDefinition): void {
    const index = this.#slots.findIndex((s) => s.name === name);
    if (index < 0) return;
    const slot = this.#slots[index];
    if (slot.stage.interrupt()) return; // the old stage closed the link
    const stage = createStage(toxic, slot.stage.next, slot.state, this.#control);
    if (index === 0) this.#head = stage;
    else this.#slots[index - 1].stage.next = stage;
    slot.stage = stage;
    if (this.#inputEnded) stage.end();
  }

  /** Stops timers; used when the connection is torn down. */
  dispose(): void {
    if (this.#heldTimer) clearInterval(this.#heldTimer);
    this.#heldTimer = null;
    for (const slot of this.#slots) slot.stage.interrupt();
  }

  /**
   * Bytes read into a lent buffer; `release` hands it back. The fast path writes them as they are and releases the
   * buffer when the write is done; through toxics (which may hold bytes for long) they are copied first.
   */
  receive(data: Buffer, release: () => void): void {
    if (this.#slots.length === 0) {
      if (this.#dest.destroyed || this.#outputEnded) {
        release();
        return;
      }
      if (!this.#dest.write(data, release) && !this.#paused) this.#pauseUntilDrain();
      return;
    }
    const copy = Buffer.from(data);
    release();
    this.#onData(copy);
  }

  #onData(data: Buffer): void {
    this.#head.push({ data, at: this.#slots.length === 0 ? 0 : performance.now() });
    if (this.#slots.length > 0 && !this.#paused && this.#heldBytes() > HELD_HIGH_WATER) this.#pauseWhileHeld();
  }

  #heldBytes(): number {
    let total = 0;
    for (const slot of this.#slots) total += slot.stage.held();
    return total;
  }

  #pauseUntilDrain(): void {
    this.#paused = true;
    this.#source.pause();
    this.#dest.once('drain', () => this.#resume());
  }

  #pauseWhileHeld(): void {
    this.#paused = true;
    this.#source.pause();
    this.#heldTimer = setInterval(() => {
      if (this.#heldBytes() > HELD_HIGH_WATER / 2) return;
      clearInterval(this.#heldTimer!);
      this.#heldTimer = null;
      this.#resume();
    }, HELD_POLL_MS);
  }

  #resume(): void {
    if (!this.#paused) return;
    if (this.#dest.writableNeedDrain) {
      this.#dest.once('drain', () => this.#resume());
      return;
    }
    this.#paused = false;
    if (!this.#source.destroyed) this.#source.resume();
  }
}

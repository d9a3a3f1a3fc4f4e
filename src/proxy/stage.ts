/**
 * A link (one direction of a proxied connection) passes chunks through a chain of stages, one per toxic, in the
 * order the toxics were added. A stage receives chunks and the end of input from the stage before it and hands
 * chunks on to `next`, which the link may rewire while the connection runs (toxics are added and removed live).
 */

/** Bytes read from the source, stamped with when they were read (latency is measured from there). */
export interface Chunk {
  data: Buffer;
  /** performance.now() when the bytes were read from the source. */
  at: number;
}

export interface Sink {
  push(chunk: Chunk): void;
  /** The input ended (or a toxic closed the link): flush and pass the end on. */
  end(): void;
}

/** What a stage may do to the whole connection, beyond passing data on. */
export interface LinkControl {
  /** Closes both sockets at once with a TCP RST (reset_peer). */
  reset(): void;
}

export interface Stage extends Sink {
  next: Sink;
  /**
   * The stage leaves the chain (its toxic was removed or updated): it stops its timers and hands everything it
   * holds to `next` right away, as Toxiproxy does when it interrupts a toxic. Returns true when the stage instead
   * closed the link (a timeout toxic closes the connections it was applied to, as their data was dropped).
   */
  interrupt(): boolean;
  /** Bytes the stage holds, for backpressure. */
  held(): number;
}

/** State a toxic keeps per link across updates (limit_data counts the bytes it let through). */
export interface StageState {
  transmitted: number;
}

/** The base of every stage: passes everything on; ignores input after the end. */
export abstract class BaseStage implements Stage {
  protected ended = false;

  constructor(public next: Sink) {}

  push(chunk: Chunk): void {
    if (!this.ended) this.next.push(chunk);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.next.end();
  }

  interrupt(): boolean {
    return false;
  }

  held(): number {
    return 0;
  }
}

/** A toxic that did not win its toxicity roll on this link, and the noop toxic. */
export class PassStage extends BaseStage {}

/**
 * One request of the open-model driver: its scheduled send time, the connection carrying it (none while it waits
 * for one), and whether it has an outcome yet. The pool (http1-pool.ts) ends it exactly once from its side, with
 * `answered` or `failed`; the driver may have settled it before that, at its deadline.
 */
import { errorKind, statusKind, type OutcomeKind } from '../measure/request-outcome.js';
import type { Http1Connection } from './http1-connection.js';

/** What the driver does with a request's outcome. */
export interface RequestOutcomes {
  /** Records the outcome, once: the first of the answer, an error, or the deadline. */
  settle(request: ScheduledRequest, kind: OutcomeKind): void;
  /** The pool is done with the request: it no longer counts against maxInFlight. */
  release(request: ScheduledRequest): void;
}

export class ScheduledRequest {
  /** Its outcome is on the timeline (an answer, an error, or the deadline passed). */
  settled = false;
  /** The pool is done with it. */
  released = false;
  connection: Http1Connection | null = null;

  readonly #outcomes: RequestOutcomes;

  constructor(
    outcomes: RequestOutcomes,
    /** performance.now() at which it was meant to leave. */
    readonly scheduledAt: number,
  ) {
    this.#outcomes = outcomes;
  }

  /** The whole response has arrived (its body discarded), with this status. */
  answered(status: number): void {
    this.#outcomes.settle(this, statusKind(status));
    this.#outcomes.release(this);
  }

  /** It ended without a response: a connection error, the server closing, or abandoned at its deadline. */
  failed(error: unknown): void {
    this.#outcomes.settle(this, errorKind(error));
    this.#outcomes.release(this);
  }
}

/**
 * One request of the open-model driver: its undici handler, its scheduled send time, and whether it has an outcome
 * yet. It is the handler object itself (no closures per request), in undici's current handler style
 * (onRequestStart … onResponseEnd with a controller): the older onConnect … onComplete style is deprecated in
 * undici 7 and gone in undici 8. undici 7 adapts the current style to its internals at a small cost (~1 µs per
 * request: it parses each response's headers into an object the driver never reads; bench/load-overhead.ts).
 * The body is discarded as it arrives, never buffered.
 */
import type { Dispatcher } from 'undici';
import { errorKind, statusKind, type OutcomeKind } from '../measure/request-outcome.js';

/** What the driver does with a request's outcome. */
export interface RequestOutcomes {
  /** Records the outcome, once: the first of the answer, an error, or the deadline. */
  settle(request: ScheduledRequest, kind: OutcomeKind): void;
  /** undici is done with the request: it no longer counts against maxInFlight. */
  release(request: ScheduledRequest): void;
}

class TimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
}

export class ScheduledRequest implements Dispatcher.DispatchHandler {
  status = 0;
  /** Its outcome is on the timeline (an answer, an error, or the deadline passed). */
  settled = false;
  /** undici is done with it. */
  released = false;
  #controller: Dispatcher.DispatchController | null = null;

  constructor(
    private readonly outcomes: RequestOutcomes,
    /** performance.now() at which it was meant to leave. */
    readonly scheduledAt: number,
  ) {}

  /** Past its deadline: tell undici to give up (now, or as soon as undici hands it a connection). */
  abort(): void {
    this.#controller?.abort(new TimeoutError('request timed out'));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.settled) controller.abort(new TimeoutError('request timed out'));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number): void {
    this.status = statusCode;
  }

  onResponseData(): void {}

  onResponseEnd(): void {
    this.outcomes.settle(this, statusKind(this.status));
    this.outcomes.release(this);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.outcomes.settle(this, errorKind(error));
    this.outcomes.release(this);
  }
}

/**
 * Typed engine events. Reporters (console progress, the journal, metrics) subscribe to them. Delivery is
 * fire-and-isolate: a subscriber that throws or rejects is logged once per event and never stops the run, and
 * above all never stops a revert.
 */
import type { Json, JsonObject } from '../json.js';
import type { ResolvedExperiment } from '../experiment/types.js';
import type { ObjectiveResult } from '../measure/objective-result.js';

export type Phase =
  | 'connect'
  | 'steady-state-before'
  | 'observers'
  | 'method'
  | 'revert'
  | 'rollbacks'
  | 'steady-state-after'
  | 'objectives'
  | 'finish';

export type ActivityKind = 'probe' | 'action' | 'fault' | 'revert' | 'pause' | 'connect' | 'release';
export type ActivityStatus = 'succeeded' | 'failed' | 'timed-out' | 'aborted' | 'skipped';

/** One record per activity, as it lands in the journal. */
export interface ActivityRecord {
  id: string;
  kind: ActivityKind;
  /** The step name, or for a revert the name of the fault step it reverts. */
  name: string;
  /** Where in the lifecycle: `steadyState.before`, `method`, `rollbacks`, `steadyState.after`, `revert`… */
  section: string;
  type: string | null;
  target: string | null;
  status: ActivityStatus;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  /** One line for people. */
  message: string;
  output: Json;
  error: string | null;
}

export const RUN_STATUSES = ['passed', 'failed', 'aborted', 'revert-failed', 'infrastructure-error', 'invalid-input'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunEvents {
  'run:start': { runId: string; experiment: ResolvedExperiment; runDir: string; startedAt: string };
  phase: { phase: Phase; at: string };
  'activity:start': { id: string; kind: ActivityKind; name: string; section: string; at: string };
  'activity:end': { activity: ActivityRecord };
  /** `startedAt`: when the inject began (the fault may act from then on); `at`: when it finished injecting. */
  'fault:injected': { id: string; name: string; type: string; target: string; state: JsonObject; startedAt: string; at: string };
  /** `at`: when the revert finished. */
  'fault:reverted': { id: string; name: string; type: string; target: string; ok: boolean; error: string | null; at: string };
  /** `liveness-lost`: the run's lease was taken over (a recover decided it was dead) or could not be renewed in time. */
  abort: { reason: string; kind: 'operator' | 'max-duration' | 'guardrail' | 'signal' | 'liveness-lost'; at: string };
  log: { level: 'debug' | 'info' | 'warn' | 'error'; message: string; at: string };
  /** Every objective evaluated, once, after the steady state after (metrics publish them). */
  'objectives:evaluated': { results: ObjectiveResult[]; at: string };
  'run:end': { runId: string; status: RunStatus; exitCode: number; reason: string; at: string };
}

export type RunEventName = keyof RunEvents;
export type RunSubscriber = {
  /** For messages about a failing subscriber. */
  name: string;
} & { [K in RunEventName]?: (event: RunEvents[K]) => void | Promise<void> };

/**
 * The run's own record of its events (the journal). Unlike a subscriber it is always waited for, in order, however
 * long a write takes: a slow disk must never make the journal lose its end. Its failures are reported like a
 * subscriber's and never stop the run.
 */
export interface RunRecorder {
  name: string;
  record<K extends RunEventName>(name: K, event: RunEvents[K]): Promise<void>;
}

/** A subscriber that takes longer than this for one event is reported and no longer waited for. */
const SUBSCRIBER_TIMEOUT_MS = 5_000;

/**
 * Delivers events to subscribers in order, awaiting each (so the journal sees events in order), isolating their
 * failures, and never waiting on one subscriber for more than SUBSCRIBER_TIMEOUT_MS: a stuck reporter must not
 * hold up a revert.
 */
export class EventBus {
  readonly #subscribers: RunSubscriber[] = [];
  /** Subscribers that hung once are not waited for again (each later event would cost the full timeout). */
  readonly #stuck = new Set<RunSubscriber>();
  readonly #onSubscriberError: (subscriber: string, event: string, error: unknown) => void;
  readonly #timeoutMs: number;

  constructor(onSubscriberError: (subscriber: string, event: string, error: unknown) => void, timeoutMs = SUBSCRIBER_TIMEOUT_MS) {
    this.#onSubscriberError = onSubscriberError;
    this.#timeoutMs = timeoutMs;
  }

  #recorder: RunRecorder | null = null;

  subscribe(subscriber: RunSubscriber): void {
    this.#subscribers.push(subscriber);
  }

  /** Sets the recorder, which gets every event before the subscribers. */
  recordWith(recorder: RunRecorder): void {
    this.#recorder = recorder;
  }

  async emit<K extends RunEventName>(name: K, event: RunEvents[K]): Promise<void> {
    if (this.#recorder !== null) {
      try {
        await this.#recorder.record(name, event);
      } catch (error) {
        this.#report(this.#recorder.name, name, error);
      }
    }
    for (const subscriber of this.#subscribers) {
      const handler = subscriber[name] as ((e: RunEvents[K]) => void | Promise<void>) | undefined;
      if (!handler || this.#stuck.has(subscriber)) continue;
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            this.#stuck.add(subscriber);
            reject(new Error(`did not finish handling "${name}" within ${this.#timeoutMs} ms; no longer waiting for it`));
          }, this.#timeoutMs);
          timer.unref();
        });
        await Promise.race([Promise.resolve().then(() => handler.call(subscriber, event)), timeout]);
      } catch (error) {
        this.#report(subscriber.name, name, error);
      } finally {
        clearTimeout(timer);
      }
    }
  }

  #report(who: string, event: string, error: unknown): void {
    try {
      this.#onSubscriberError(who, event, error);
    } catch {
      // A failing error handler must not break delivery either.
    }
  }
}

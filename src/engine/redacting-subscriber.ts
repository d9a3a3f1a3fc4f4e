/**
 * Reporters given to a run (the CLI's console, metrics, an API user's own) see events with secret values
 * redacted: a reporter prints or exports what it receives, so the boundary is here, not in each reporter.
 */
import { redactForOutput, type Redactor } from '../experiment/redact.js';
import type { RunSubscriber } from './events.js';

type Handler = (this: RunSubscriber, event: unknown) => void | Promise<void>;

export function redactingSubscriber(subscriber: RunSubscriber, redact: Redactor): RunSubscriber {
  const wrapped: Record<string, unknown> = { name: subscriber.name };
  for (const [event, handler] of Object.entries(subscriber)) {
    if (event === 'name' || typeof handler !== 'function') continue;
    wrapped[event] = (payload: unknown) => (handler as Handler).call(subscriber, redactForOutput(redact, payload));
  }
  return wrapped as RunSubscriber;
}

/**
 * Reporters given to a run (the CLI's console, metrics, an API user's own) see events with secret values
 * redacted: a reporter prints or exports what it receives, so the boundary is here, not in each reporter.
 */
import type { Redactor } from '../experiment/redact.js';
import type { Json } from '../json.js';
import type { RunSubscriber } from './events.js';

type Handler = (this: RunSubscriber, event: unknown) => void | Promise<void>;

export function redactingSubscriber(subscriber: RunSubscriber, redact: Redactor): RunSubscriber {
  const wrapped: Record<string, unknown> = { name: subscriber.name };
  for (const [event, handler] of Object.entries(subscriber)) {
    if (event === 'name' || typeof handler !== 'function') continue;
    // Events are plain data (strings, numbers, records): redacted as they are, numbers such as Infinity kept.
    wrapped[event] = (payload: unknown) => (handler as Handler).call(subscriber, redact(payload as Json));
  }
  return wrapped as RunSubscriber;
}

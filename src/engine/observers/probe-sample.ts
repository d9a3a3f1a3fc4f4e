/**
 * Runs one probe of an objective or a guardrail (any registered probe type, like a steady-state probe) and returns
 * it as a timed sample. A probe not answered within `timeoutMs` failed; `stop` cuts it short.
 */
import type { ProbeStep } from '../../experiment/types.js';
import type { ProbeSample } from '../../measure/rto.js';
import type { RunContext } from '../run-context.js';
import { activityContext, resolveParams } from '../steps.js';
import { messageOf } from '../../errors.js';

export async function sampleProbe(ctx: RunContext, step: ProbeStep, timeoutMs: number, stop?: AbortSignal): Promise<ProbeSample> {
  const startedAt = Date.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  // Stopping the observer ends the sample at once, whether or not the plugin honours its signal.
  const onStop = () => controller.abort(new Error('stopped'));
  if (stop?.aborted) onStop();
  else stop?.addEventListener('abort', onStop, { once: true });
  try {
    const registered = ctx.plugins.probes.get(step.type);
    if (!registered) throw new Error(`no plugin provides probe type "${step.type}"`);
    const params = resolveParams(ctx.targets, step, registered.def.params);
    const session = step.target === null ? undefined : ctx.targets.get(step.target)?.connection.session;
    const timedOut = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }));
    timedOut.catch(() => undefined);
    const outcome = await Promise.race([registered.def.run(session, params, activityContext(ctx, controller.signal, step.target)), timedOut]);
    return { startedAt, endedAt: Date.now(), ok: outcome.ok, message: outcome.message };
  } catch (error) {
    return { startedAt, endedAt: Date.now(), ok: false, message: messageOf(error) };
  } finally {
    clearTimeout(timer);
    stop?.removeEventListener('abort', onStop);
  }
}

/**
 * Calls `tick` at start + k·interval (k = 0, 1, …) without drift until stopped. Ticks are not awaited, so a slow
 * probe does not delay the next; at most `maxInFlight` run at once (a tick past that is skipped and counted).
 */
export class Ticker {
  #timer: NodeJS.Timeout | undefined;
  #k = 0;
  #stopped = false;
  readonly #inFlight = new Set<Promise<void>>();
  skipped = 0;

  readonly #intervalMs: number;
  readonly #maxInFlight: number;
  readonly #tick: () => Promise<void>;

  constructor(
    intervalMs: number,
    maxInFlight: number,
    tick: () => Promise<void>,
  ) {
    this.#intervalMs = intervalMs;
    this.#maxInFlight = maxInFlight;
    this.#tick = tick;
  }

  start(): void {
    const origin = Date.now();
    const next = () => {
      if (this.#stopped) return;
      if (this.#inFlight.size >= this.#maxInFlight) this.skipped++;
      else {
        const running = this.#tick().catch(() => undefined);
        this.#inFlight.add(running);
        void running.then(() => this.#inFlight.delete(running));
      }
      this.#k++;
      this.#timer = setTimeout(next, Math.max(0, origin + this.#k * this.#intervalMs - Date.now()));
    };
    next();
  }

  /** Stops ticking and waits for the ticks in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await Promise.all([...this.#inFlight]);
  }
}

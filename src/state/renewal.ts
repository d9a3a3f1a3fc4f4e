/**
 * Keeping a liveness record (a heartbeat file, the run's Lease, a lock's Lease) renewed while its holder works.
 *
 * A holder that cannot renew for longer than the record's duration, or finds that somebody else took the record
 * over (`chaos recover` decided it was dead, another run took its lock), has lost it: others may now act on its
 * faults. It is told once, through `onLost`, so the run can stop injecting and revert what it still holds.
 */
export type RenewOutcome = { renewed: true } | { renewed: false; lost: string };

export interface RenewalOptions {
  everyMs: number;
  durationMs: number;
  renew: () => Promise<RenewOutcome>;
  /** A renewal that failed but may succeed next time (the API server did not answer). */
  onError: (error: unknown) => void;
  onLost: (reason: string) => void;
  now?: () => number;
}

export interface Renewal {
  /** Stops renewing; resolves once a renewal in flight has finished. Idempotent. */
  stop(): Promise<void>;
  readonly lost: string | null;
}

export function keepRenewing(options: RenewalOptions): Renewal {
  const now = options.now ?? Date.now;
  let lastRenewed = now();
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> = Promise.resolve();
  let stopped = false;
  let lost: string | null = null;

  const lose = (reason: string) => {
    if (lost !== null) return;
    lost = reason;
    stopped = true;
    options.onLost(reason);
  };

  const tick = async () => {
    try {
      const outcome = await options.renew();
      if (outcome.renewed) lastRenewed = now();
      else lose(outcome.lost);
    } catch (error) {
      options.onError(error);
      const silentFor = now() - lastRenewed;
      if (silentFor > options.durationMs) lose(`not renewed for ${Math.round(silentFor / 100) / 10} s (longer than its ${options.durationMs / 1000} s duration): ${messageOf(error)}`);
    }
  };

  const schedule = () => {
    if (stopped) return;
    // Unref'd: a forgotten renewal never keeps a finished process alive.
    timer = setTimeout(() => {
      inFlight = tick().finally(schedule);
    }, options.everyMs);
    timer.unref();
  };
  schedule();

  return {
    get lost() {
      return lost;
    },
    async stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      await inFlight;
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

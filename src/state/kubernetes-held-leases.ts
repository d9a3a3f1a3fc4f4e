/**
 * The Leases one holder keeps (its run's liveness Lease, its target locks, or a dead run it claimed for recovery),
 * renewed together every `renewEveryMs` and released together. A renewal that answers 409 Conflict means somebody
 * wrote the Lease since: if it still names us (somebody only annotated it) we renew again on the new version,
 * otherwise somebody took it over and the holder has lost it.
 */
import { keepRenewing, type Renewal, type RenewOutcome } from './renewal.js';
import type { HolderEvents, LivenessTiming } from './backend.js';
import { holderIdentity, type LeaseHolder, type Leases, type LeaseState } from './kubernetes-lease.js';

export class HeldLeases {
  readonly #held = new Map<string, { state: LeaseState; holder: LeaseHolder }>();
  #renewal: Renewal | null = null;

  readonly #leases: Leases;
  readonly #timing: LivenessTiming;
  readonly #events: HolderEvents;

  constructor(
    leases: Leases,
    timing: LivenessTiming,
    events: HolderEvents,
  ) {
    this.#leases = leases;
    this.#timing = timing;
    this.#events = events;
  }

  get names(): string[] {
    return [...this.#held.keys()];
  }

  /** Keeps renewing `state` (just created or taken over by `holder`) from now on. */
  add(state: LeaseState, holder: LeaseHolder): void {
    this.#held.set(state.name, { state, holder });
    this.#renewal ??= keepRenewing({ ...this.#timing, everyMs: this.#timing.renewEveryMs, renew: () => this.#renewAll(), onError: this.#events.onError, onLost: this.#events.onLost });
  }

  /** Stops renewing and deletes every lease still ours. Idempotent. */
  async release(): Promise<void> {
    await this.#renewal?.stop();
    this.#renewal = null;
    const held = [...this.#held.values()].reverse();
    this.#held.clear();
    const failures: unknown[] = [];
    for (const { state } of held) await this.#leases.release(state).catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw failures[0];
  }

  async #renewAll(): Promise<RenewOutcome> {
    for (const [name, entry] of this.#held) {
      let renewed = await this.#leases.renew(entry.state, entry.holder);
      if (renewed === null) {
        const now = await this.#leases.read(name);
        if (now === null || now.holderIdentity !== holderIdentity(entry.holder) || now.holder?.runId !== entry.holder.runId) {
          return { renewed: false, lost: `lease ${name} was ${now === null ? 'deleted' : `taken over by ${now.holderIdentity ?? 'nobody'}`}` };
        }
        renewed = await this.#leases.renew(now, entry.holder);
        if (renewed === null) throw new Error(`lease ${name} changed twice while being renewed`);
      }
      entry.state = renewed;
    }
    return { renewed: true };
  }
}

/**
 * Asynchronous replication from the primary region to the standby, with a configurable lag, so RPO is real: a
 * write is shipped once it is `lag` old. The replicator pulls the primary's log through the primary's own proxies
 * (a region outage stops it) and pushes over the replication link, a proxy in front of the standby's apply
 * endpoint (a partition stops it). A cursor per source region says how far its log was shipped.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReplicationStatus } from './contract/lab-status.js';
import type { EventLog } from './event-log.js';
import type { Region } from './contract/lab-settings.js';
import type { OrderRow } from './orders-db.js';

export interface ReplicatorOptions {
  lagMs: number;
  /** The proxies of a region's instances. */
  instancesOf(region: Region): string[];
  addressOf(proxy: string): { host: string; port: number } | null;
  /** The replication link's proxy, in front of the apply endpoint. */
  linkProxy: string;
  events: EventLog;
}

const TICK_MS = 20;
const TIMEOUT_MS = 1_000;
const BATCH = 2_000;

export class Replicator {
  readonly #cursor: Record<Region, number> = { a: 0, b: 0 };
  #running = false;
  #loop: Promise<void> | null = null;
  #linkUp = true;
  #lastShipped: { id: string; createdAt: number; seq: number } | null = null;
  /** The last time everything due (older than the lag) had been shipped. */
  #caughtUpAt = Date.now();
  /** The region shipped from: the primary, switched at the start of a promotion or a failback. */
  #source: Region = 'a';

  readonly #options: ReplicatorOptions;

  constructor(options: ReplicatorOptions) {
    this.#options = options;
  }

  start(): void {
    this.#running = true;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
  }

  cursorOf(region: Region): number {
    return this.#cursor[region];
  }

  /**
   * The replication direction changes: nothing more is shipped from the old primary (what it did not ship by now
   * is lost, that is the RPO); the new primary ships what is written to it from now on.
   */
  switchSource(to: Region, toNewestSeq: number): void {
    this.#source = to;
    this.#cursor[to] = Math.max(this.#cursor[to], toNewestSeq);
  }

  status(): ReplicationStatus {
    const source = this.#source;
    return {
      source,
      target: source === 'a' ? 'b' : 'a',
      lagMs: this.#options.lagMs + Math.max(0, Date.now() - this.#caughtUpAt),
      configuredLagMs: this.#options.lagMs,
      linkUp: this.#linkUp,
      lastShipped: this.#lastShipped,
    };
  }

  async #run(): Promise<void> {
    while (this.#running) {
      try {
        await this.#tick();
      } catch {
        // A failed pull or push is retried next tick; `linkUp` and the lag say so.
      }
      await sleep(TICK_MS);
    }
  }

  /** Ships the writes that are at least `lag` old: the source holds them back until then, as a lagging log would. */
  async #tick(): Promise<void> {
    const source = this.#source;
    const target: Region = source === 'a' ? 'b' : 'a';
    const pulledAt = Date.now();
    const due = await this.#pull(source, pulledAt - this.#options.lagMs);
    if (due === null) return; // the source is unreachable: the standby falls behind
    if (due.length === 0) {
      this.#caughtUpAt = pulledAt;
      return;
    }
    const link = this.#options.addressOf(this.#options.linkProxy);
    const shipped = link === null ? false : await this.#push(link, target, due);
    if (shipped !== this.#linkUp) {
      this.#linkUp = shipped;
      this.#options.events.record(shipped ? 'replication-resumed' : 'replication-stalled', { source, target });
    }
    if (!shipped || this.#source !== source) return;
    const last = due[due.length - 1];
    this.#cursor[source] = last.seq;
    this.#lastShipped = { id: last.id, createdAt: last.createdAt, seq: last.seq };
    if (due.length < BATCH) this.#caughtUpAt = pulledAt;
  }

  async #pull(source: Region, before: number): Promise<OrderRow[] | null> {
    for (const name of this.#options.instancesOf(source)) {
      const address = this.#options.addressOf(name);
      if (address === null) continue;
      try {
        const response = await fetch(
          `http://${address.host}:${address.port}/replication/log?after=${this.#cursor[source]}&before=${before}&limit=${BATCH}`,
          { signal: AbortSignal.timeout(TIMEOUT_MS) },
        );
        if (!response.ok) continue;
        return ((await response.json()) as { rows: OrderRow[] }).rows;
      } catch {
        // try the region's next instance
      }
    }
    return null;
  }
  async #push(link: { host: string; port: number }, target: Region, rows: OrderRow[]): Promise<boolean> {
    try {
      const response = await fetch(`http://${link.host}:${link.port}/apply?region=${target}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ rows }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.arrayBuffer();
      return response.ok;
    } catch {
      return false;
    }
  }
}

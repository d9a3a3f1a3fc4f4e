/**
 * The lab's global router (the entry URL). It health-checks every instance of every region through the region's
 * proxies each `healthInterval`, sends reads and writes to the primary region, balances round-robin across that
 * region's instances and retries a request on the next instance when the connection fails (writes carry the
 * client's order id, so a retry is an upsert). After `failoverAfter` failed checks of the primary it promotes the
 * standby; `failback` makes the original primary primary again.
 */
import { Agent, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { buffer } from 'node:stream/consumers';
import { setTimeout as sleep } from 'node:timers/promises';
import type { InstanceStats } from './contract/lab-status.js';
import type { EventLog } from './event-log.js';
import type { Region } from './contract/lab-settings.js';
import { messageOf } from '../errors.js';

export interface RouterOptions {
  regions: Record<Region, string[]>;
  /** Where the proxy in front of an instance listens now (null while it is disabled). */
  addressOf(instance: string): { host: string; port: number } | null;
  healthIntervalMs: number;
  failoverAfter: number;
  promotionTimeMs: number;
  events: EventLog;
  /** Runs at the start of a promotion (the replicator stops shipping from the old primary). */
  onPromote(from: Region, to: Region): void;
}

const ATTEMPT_TIMEOUT_MS = 5_000;

export class Router {
  primary: Region = 'a';
  promoting = false;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 128 });
  readonly #failedChecks: Record<Region, number> = { a: 0, b: 0 };
  readonly #stats = new Map<string, InstanceStats>();
  #next = 0;
  #running = false;
  #loop: Promise<void> | null = null;
  /** Set at a promotion; cleared by the first request the promoted region serves (a ground-truth event). */
  #awaitingFirstServed: Region | null = null;
  /** Requests the router answered with 5xx (or could not answer); deploy gates read it. */
  failedResponses = 0;
  servedResponses = 0;

  readonly #options: RouterOptions;

  constructor(options: RouterOptions) {
    this.#options = options;
    for (const names of Object.values(options.regions)) for (const n of names) this.#stats.set(n, { requests: 0, failures: 0, healthy: true });
  }

  get standby(): Region {
    return this.primary === 'a' ? 'b' : 'a';
  }

  instanceStats(name: string): InstanceStats {
    return { ...(this.#stats.get(name) ?? { requests: 0, failures: 0, healthy: false }) };
  }

  regionHealthy(region: Region): boolean {
    return this.#options.regions[region].some((n) => this.#stats.get(n)?.healthy);
  }

  start(): void {
    this.#running = true;
    this.#loop = this.#healthLoop();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
    this.#agent.destroy();
  }

  /** Makes `region` primary again (an operator's failback); the replicator follows the router's primary. */
  failback(region: Region = 'a'): { primary: Region; changed: boolean } {
    if (this.primary === region) return { primary: region, changed: false };
    const from = this.primary;
    this.#options.onPromote(from, region);
    this.primary = region;
    this.#failedChecks[region] = 0;
    this.#options.events.record('failback', { from, to: region });
    return { primary: region, changed: true };
  }

  /** Forwards a client request to the primary region, retrying on the next instance when a connection fails. */
  async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readAll(req);
    const region = this.primary;
    const names = this.#ordered(region);
    let lastError = 'no instance';
    for (const name of names) {
      const address = this.#options.addressOf(name);
      if (address === null) {
        lastError = `${name}: its proxy is down`;
        continue;
      }
      const stats = this.#stats.get(name)!;
      stats.requests++;
      try {
        const upstream = await this.#attempt(address, req, body);
        if (upstream.statusCode !== undefined && upstream.statusCode >= 500) stats.failures++;
        this.#answered(region, upstream.statusCode ?? 502);
        res.writeHead(upstream.statusCode ?? 502, { ...upstream.headers, 'x-lab-region': region });
        upstream.pipe(res);
        return;
      } catch (error) {
        stats.failures++;
        lastError = `${name}: ${messageOf(error)}`;
      }
    }
    this.#answered(region, 503);
    res.writeHead(503, { 'content-type': 'application/json', 'x-lab-region': region });
    res.end(JSON.stringify({ error: `region ${region} has no reachable instance (${lastError})`, region }));
  }

  #answered(region: Region, status: number): void {
    if (status >= 500) this.failedResponses++;
    else this.servedResponses++;
    if (status < 500 && this.#awaitingFirstServed === region) {
      this.#awaitingFirstServed = null;
      this.#options.events.record('first-request-served', { region });
    }
  }

  /** The region's instances, healthy ones first, rotating the starting point (round-robin). */
  #ordered(region: Region): string[] {
    const names = this.#options.regions[region];
    const start = this.#next++ % names.length;
    const rotated = [...names.slice(start), ...names.slice(0, start)];
    return [...rotated.filter((n) => this.#stats.get(n)?.healthy), ...rotated.filter((n) => !this.#stats.get(n)?.healthy)];
  }

  #attempt(address: { host: string; port: number }, req: IncomingMessage, body: Buffer): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: `${address.host}:${address.port}`, 'content-length': String(body.length) };
      delete headers['transfer-encoding'];
      delete headers.connection;
      const upstream = request(
        { host: address.host, port: address.port, method: req.method, path: req.url, headers, agent: this.#agent, timeout: ATTEMPT_TIMEOUT_MS },
        resolve,
      );
      upstream.once('timeout', () => upstream.destroy(new Error(`no answer within ${ATTEMPT_TIMEOUT_MS} ms`)));
      upstream.once('error', reject);
      upstream.end(body);
    });
  }

  async #healthLoop(): Promise<void> {
    while (this.#running) {
      const started = Date.now();
      await Promise.all(Object.values(this.#options.regions).flat().map((n) => this.#check(n)));
      if (!this.#running) break;
      this.#evaluate();
      await sleep(Math.max(0, this.#options.healthIntervalMs - (Date.now() - started)));
    }
  }

  async #check(name: string): Promise<void> {
    const address = this.#options.addressOf(name);
    const stats = this.#stats.get(name)!;
    if (address === null) {
      stats.healthy = false;
      return;
    }
    try {
      const response = await fetch(`http://${address.host}:${address.port}/healthz`, {
        signal: AbortSignal.timeout(Math.max(100, Math.min(1_000, this.#options.healthIntervalMs))),
      });
      await response.arrayBuffer();
      stats.healthy = response.ok;
    } catch {
      stats.healthy = false;
    }
  }

  #evaluate(): void {
    for (const region of ['a', 'b'] as const) {
      const healthy = this.regionHealthy(region);
      if (!healthy) {
        this.#failedChecks[region]++;
        if (this.#failedChecks[region] === 1) this.#options.events.record('region-unreachable', { region });
      } else {
        if (this.#failedChecks[region] > 0) this.#options.events.record('region-reachable', { region });
        this.#failedChecks[region] = 0;
      }
    }
    const from = this.primary;
    const to = this.standby;
    if (!this.promoting && this.#failedChecks[from] >= this.#options.failoverAfter && this.regionHealthy(to)) {
      void this.#promote(from, to);
    }
  }

  async #promote(from: Region, to: Region): Promise<void> {
    this.promoting = true;
    this.#options.events.record('promotion-started', { from, to, failedChecks: this.#failedChecks[from] });
    this.#options.onPromote(from, to);
    await sleep(this.#options.promotionTimeMs);
    this.primary = to;
    this.#awaitingFirstServed = to;
    this.promoting = false;
    this.#options.events.record('promoted', { region: to, from });
  }
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return buffer(req);
}

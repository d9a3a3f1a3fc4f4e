/**
 * The lab's instances under remote agents (`agent-main.ts`, one per container in docker-compose), driven over
 * their HTTP API. The agents restart their instance on their own; the control service only asks, kills and
 * deploys. Each agent's URL comes from LAB_AGENTS.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { LabEvent } from './event-log.js';
import type { LabInstances } from './lab-instances.js';
import type { Region } from './contract/lab-settings.js';
import type { InstanceInfo, Release } from './contract/lab-status.js';
import { INITIAL_RELEASE } from './lab-instances.js';

const TIMEOUT_MS = 2_000;
/** A deploy restarts the instance: allow for a slow container. */
const RELEASE_TIMEOUT_MS = 20_000;

export interface RemoteInstancesOptions {
  /** Instance name → agent URL. */
  agents: Record<string, string>;
  regionOf(name: string): Region;
  /** How long `startAll` waits for every agent to serve a running instance. */
  startTimeoutMs: number;
}

export class RemoteInstances implements LabInstances {
  /** The release each instance was last put on (agents report it too; this answers without a call). */
  readonly #releases = new Map<string, Release>();

  readonly #options: RemoteInstancesOptions;

  constructor(options: RemoteInstancesOptions) {
    this.#options = options;
  }

  /** Waits until every agent answers with a running instance, so the router does not fail over from a region still starting. */
  async startAll(): Promise<void> {
    const deadline = Date.now() + this.#options.startTimeoutMs;
    for (;;) {
      const all = await this.snapshot();
      const waiting = all.filter((i) => !i.running).map((i) => i.name);
      if (waiting.length === 0) return;
      if (Date.now() > deadline) throw new Error(`agents of ${waiting.join(', ')} did not report a running instance within ${this.#options.startTimeoutMs} ms`);
      await sleep(200);
    }
  }

  /** The agents are services of their own (compose runs them); the control service leaves them running. */
  async stopAll(): Promise<void> {}

  async snapshot(): Promise<InstanceInfo[]> {
    return Promise.all(
      Object.keys(this.#options.agents).map(async (name) => {
        try {
          const info = await this.#call<InstanceInfo>(name, 'GET', '/status');
          this.#releases.set(name, info.release);
          return { ...info, name, region: this.#options.regionOf(name) };
        } catch {
          // An agent that does not answer is an instance that is not running, as far as the lab can tell.
          return { name, region: this.#options.regionOf(name), pid: 0, startTime: null, port: 0, release: this.releaseOf(name), running: false };
        }
      }),
    );
  }

  async replace(name: string, release: Release): Promise<InstanceInfo> {
    const info = await this.#call<InstanceInfo>(name, 'POST', '/release', release, RELEASE_TIMEOUT_MS);
    this.#releases.set(name, release);
    return info;
  }

  releaseOf(name: string): Release {
    return this.#releases.get(name) ?? INITIAL_RELEASE;
  }

  /** Every agent's log, each event tagged with its agent; an agent that does not answer is left out. */
  async events(): Promise<LabEvent[]> {
    const logs = await Promise.all(
      Object.keys(this.#options.agents).map((name) =>
        this.#call<LabEvent[]>(name, 'GET', '/events').then(
          (events) => events.map((e) => ({ ...e, source: `agent ${name}` })),
          () => [],
        ),
      ),
    );
    return logs.flat();
  }

  kill(name: string, signal: NodeJS.Signals): Promise<{ name: string; pid: number }> {
    return this.#call(name, 'POST', '/kill', { signal });
  }

  async #call<T>(name: string, method: string, path: string, body?: unknown, timeoutMs = TIMEOUT_MS): Promise<T> {
    const base = this.#options.agents[name];
    if (base === undefined) throw new Error(`no agent for instance "${name}"`);
    const response = await fetch(`${base.replace(/\/$/, '')}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`agent of ${name}: ${method} ${path}: ${response.status} ${text.trim()}`);
    return JSON.parse(text) as T;
  }
}

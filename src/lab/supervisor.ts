/**
 * The lab's supervisor, like a ReplicaSet: it starts each instance of the orders service as a real child process,
 * restarts one that died after `restartDelay`, and replaces instances one at a time for a deploy. Instances share
 * the lab's process group, so stopping the group (the lab's owner, or `chaos recover`) stops them all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { processStartTime } from '../os/process-identity.js';
import type { EventLog, LabEvent } from './event-log.js';
import type { InstanceInfo, Release } from './contract/lab-status.js';
import type { LabInstances } from './lab-instances.js';
import { labScript } from './contract/lab-scripts.js';
import type { Region } from './contract/lab-settings.js';

interface Slot {
  name: string;
  region: Region;
  dbPath: string;
  /** Fixed, as a container's port (an agent's instance behind a Toxiproxy proxy); 0: the OS picks one per start. */
  port: number;
  release: Release;
  child: ChildProcess | null;
  info: InstanceInfo | null;
  restartTimer: NodeJS.Timeout | null;
  restarts: number;
}

const START_TIMEOUT_MS = 10_000;

export interface SupervisorOptions {
  restartDelayMs: number;
  events: EventLog;
  /** Called whenever an instance listens on a (new) port, so its proxy forwards there. */
  onListening?(name: string, port: number): void;
  /** Extra environment for the instances (e.g. LAB_HOST in a container). */
  env?: Record<string, string>;
}

export class Supervisor implements LabInstances {
  readonly #slots = new Map<string, Slot>();
  #stopping = false;
  /** Children replaced by a deploy: their exit is expected, not a crash to restart. */
  readonly #retired = new WeakSet<ChildProcess>();

  readonly #options: SupervisorOptions;

  constructor(options: SupervisorOptions) {
    this.#options = options;
  }

  add(name: string, region: Region, dbPath: string, release: Release, port = 0): void {
    this.#slots.set(name, { name, region, dbPath, port, release, child: null, info: null, restartTimer: null, restarts: 0 });
  }

  /** Its events are in the log it was given. */
  async events(): Promise<LabEvent[]> {
    return [];
  }

  async snapshot(): Promise<InstanceInfo[]> {
    return this.list();
  }

  async kill(name: string, signal: NodeJS.Signals): Promise<{ name: string; pid: number }> {
    const child = this.#requireSlot(name).child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) throw new Error(`instance ${name} is not running`);
    child.kill(signal);
    return { name, pid: child.pid as number };
  }

  /** From now on the instance listens on `port` at every start (an agent's first start on port 0 chose it). */
  pinPort(name: string, port: number): void {
    this.#requireSlot(name).port = port;
  }

  /** Restarts so far (the agent's status reports them). */
  restartsOf(name: string): number {
    return this.#requireSlot(name).restarts;
  }

  list(): InstanceInfo[] {
    return [...this.#slots.values()].flatMap((s) => (s.info ? [{ ...s.info, running: s.child !== null && s.child.exitCode === null && s.child.signalCode === null }] : []));
  }

  async startAll(): Promise<void> {
    await Promise.all([...this.#slots.values()].map((slot) => this.#start(slot)));
  }

  /**
   * Replaces one instance with a new release: the new process starts and must listen before traffic moves to it;
   * the old one then gets SIGTERM and finishes its in-flight requests (no request is dropped). On a fixed port the
   * two cannot listen at once: the old one stops first (graceful), and the router retries on the region's others.
   */
  async replace(name: string, release: Release): Promise<InstanceInfo> {
    const slot = this.#requireSlot(name);
    const old = slot.child;
    slot.release = release;
    slot.child = null;
    if (slot.restartTimer) clearTimeout(slot.restartTimer);
    slot.restartTimer = null;
    const running = old !== null && old.exitCode === null && old.signalCode === null;
    if (running) this.#retired.add(old);
    if (running && slot.port !== 0) {
      const exited = new Promise((r) => old.once('exit', r));
      old.kill('SIGTERM');
      await exited;
    }
    const info = await this.#start(slot);
    if (running && slot.port === 0) old.kill('SIGTERM');
    return info;
  }

  releaseOf(name: string): Release {
    return this.#requireSlot(name).release;
  }

  async stopAll(): Promise<void> {
    this.#stopping = true;
    const exits: Promise<unknown>[] = [];
    for (const slot of this.#slots.values()) {
      if (slot.restartTimer) clearTimeout(slot.restartTimer);
      const child = slot.child;
      if (child && child.exitCode === null && child.signalCode === null) {
        exits.push(new Promise((r) => child.once('exit', r)));
        child.kill('SIGTERM');
      }
    }
    const timer = setTimeout(() => {
      for (const slot of this.#slots.values()) slot.child?.kill('SIGKILL');
    }, 3_000);
    await Promise.all(exits);
    clearTimeout(timer);
  }

  #requireSlot(name: string): Slot {
    const slot = this.#slots.get(name);
    if (!slot) throw new Error(`no instance "${name}"; instances: ${[...this.#slots.keys()].join(', ')}`);
    return slot;
  }

  async #start(slot: Slot): Promise<InstanceInfo> {
    const script = labScript('instance-main');
    const child = spawn(process.execPath, [...script.execArgv, script.file], {
      env: {
        ...process.env,
        ...this.#options.env,
        PORT: String(slot.port),
        LAB_REGION: slot.region,
        LAB_INSTANCE: slot.name,
        LAB_DB: slot.dbPath,
        LAB_VERSION: slot.release.version,
        LAB_ERROR_RATE: String(slot.release.errorRate),
        LAB_ADDED_LATENCY_MS: String(slot.release.addedLatencyMs),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      const timer = setTimeout(() => reject(new Error(`instance ${slot.name} did not listen within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      lines.once('line', (line) => {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`instance ${slot.name} exited before listening (${signal ?? `code ${code}`})`));
      });
    });
    const info: InstanceInfo = {
      name: slot.name,
      region: slot.region,
      pid: child.pid as number,
      startTime: processStartTime(child.pid as number),
      port,
      release: slot.release,
      running: true,
    };
    slot.child = child;
    slot.info = info;
    // Every process the lab starts is in its ground truth, so tests can check by identity that none outlives the lab.
    this.#options.events.record('instance-started', { instance: slot.name, region: slot.region, pid: info.pid, startTime: info.startTime, port, version: slot.release.version });
    child.once('exit', (code, signal) => this.#onExit(slot, child, code, signal));
    this.#options.onListening?.(slot.name, port);
    return info;
  }

  #onExit(slot: Slot, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    // A retired instance (replaced by a deploy) or a lab shutting down is not restarted.
    if (this.#stopping || this.#retired.has(child) || slot.child !== child) return;
    this.#options.events.record('instance-exited', { instance: slot.name, region: slot.region, pid: child.pid, code, signal });
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = null;
      if (this.#stopping || slot.child !== child) return;
      slot.restarts++;
      this.#start(slot).then(
        (info) => this.#options.events.record('instance-restarted', { instance: slot.name, region: slot.region, pid: info.pid, port: info.port }),
        (error: unknown) => this.#options.events.record('instance-restart-failed', { instance: slot.name, error: String(error) }),
      );
    }, this.#options.restartDelayMs);
  }
}

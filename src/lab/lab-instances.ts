/**
 * The orders instances of the lab, behind one small interface so the same lab logic runs with the embedded
 * supervisor (child processes of the lab process) or with remote instance agents (one per container in
 * docker-compose, see `agent-main.ts`). Restarting a killed instance is theirs, never the caller's.
 */
import type { LabEvent } from './event-log.js';
import type { InstanceInfo, Release } from './contract/lab-status.js';

/** What every instance runs when the lab starts. */
export const INITIAL_RELEASE: Release = { version: '1.0.0', errorRate: 0, addedLatencyMs: 0 };

export interface LabInstances {
  startAll(): Promise<void>;
  stopAll(): Promise<void>;
  /** Every instance as it is now (pid, port, release, running). */
  snapshot(): Promise<InstanceInfo[]>;
  /** Puts an instance on a release; resolves once the new process listens. */
  replace(name: string, release: Release): Promise<InstanceInfo>;
  releaseOf(name: string): Release;
  /** Sends a signal to an instance's process (a pod crash); its supervisor restarts it after the restart delay. */
  kill(name: string, signal: NodeJS.Signals): Promise<{ name: string; pid: number }>;
  /**
   * Ground-truth events recorded elsewhere (remote agents' instance exits and restarts), each with its `source`;
   * none when they go to the lab's own log (the embedded supervisor).
   */
  events(): Promise<LabEvent[]>;
}

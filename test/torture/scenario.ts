/**
 * A torture scenario: an experiment against one of the shared real systems, and how to tell from the outside
 * whether a run of it killed with kill -9 (then `chaos recover`) left anything behind.
 */
import type { Random } from './random.js';
import type { TortureEnvironment } from './environment.js';

export interface TrialContext {
  /** The trial's own directory (its experiment, state dir and run folder): everything the run starts names it. */
  dir: string;
  /** Short and unique: names the trial's proxy, namespace, table. */
  token: string;
  env: TortureEnvironment;
  random: Random;
}

export interface PreparedTrial {
  /** The experiment file's text. */
  experiment: string;
  /** Processes the harness started for the trial (not leftovers of the run). */
  ownPids: number[];
  /** What is still changed or running, in words, looked at from the outside; empty when nothing. */
  leftovers(): Promise<string[]>;
  /** Puts the shared system back for the next trial, whatever the verdict. */
  cleanup(): Promise<void>;
}

export interface Scenario {
  name: string;
  /** The fault types it injects (for the coverage list). */
  faults: readonly string[];
  /** Why it cannot run here, or null. */
  unavailable(env: TortureEnvironment): string | null;
  /** The kill -9 lands at a random instant this many ms after the run folder appears. */
  windowMs: number;
  /** Trials of scenarios with the same group never run at the same time (they change one shared, global thing). */
  exclusiveGroup?: string;
  prepare(trial: TrialContext): Promise<PreparedTrial>;
}

/**
 * What a caller gives a run (the CLI, the API, a game day) and what it gets back.
 */
import type { ExitCode } from '../errors.js';
import type { ObjectiveResult } from '../measure/objective-result.js';
import type { Registry } from '../plugins/registry.js';
import type { StateBackend } from '../state/backend.js';
import type { RunStatus, RunSubscriber } from './events.js';
import type { LiveProgress } from './observers/live-progress.js';

export interface Invocation {
  argv: string[];
  cwd: string;
  user: string;
  host: string;
  pid: number;
  version: string;
}

export interface RunOptions {
  registry: Registry;
  /**
   * The local state directory (default `.chaos/` in the CLI): the file backend's, unless `state` says otherwise,
   * and where plugins keep long-lived things (`chaos lab up`).
   */
  stateDir: string;
  /** Where the ledger, the locks and the run's liveness live (`--state`); default: the file backend on `stateDir`. */
  state?: StateBackend;
  /** Where `{ env: VAR }` secrets of a dead run are read from when `safety.autoRecover` reverts it. */
  env?: Record<string, string | undefined>;
  /** The run folder: journal.json and reports go here. Never one that holds another run's journal. */
  runDir: string;
  /** `runDir` is a default name (two runs in one second share it): when it is taken, use `<runDir>-2`, `-3`… */
  uniqueRunDir?: boolean;
  invocation: Invocation;
  /** Aborting it (SIGINT/SIGTERM, an operator) stops the method; every fault is still reverted. */
  signal?: AbortSignal;
  /** Start even though the ledger holds unrecovered faults against a target of this run. */
  force?: boolean;
  /** `--yes` / CHAOS_CONFIRM=production: allows targets marked `environment: production`. */
  confirmProduction?: boolean;
  subscribers?: RunSubscriber[];
  /** Live load figures, about once a second while load runs (the CLI's progress line). */
  onProgress?: (progress: LiveProgress) => void;
  /** Called when a subscriber fails; the CLI prints it. */
  onSubscriberError?: (subscriber: string, event: string, error: unknown) => void;
}

export interface RunResult {
  runId: string;
  status: RunStatus;
  exitCode: ExitCode;
  /** One sentence for people: why the run ended the way it did. */
  reason: string;
  runDir: string;
  journalPath: string;
  objectives: ObjectiveResult[];
}

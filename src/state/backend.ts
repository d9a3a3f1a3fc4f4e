/**
 * What must outlive the runner (DESIGN §4): each run's fault ledger, the target locks, and whether a run's runner
 * is still there. One interface, two backends, chosen by `--state` (state-spec.ts):
 *   - file (`file:.chaos`, the default): ledger files and lock files under a directory, liveness by a heartbeat
 *     file the runner renews (heartbeat.ts), so a directory on a shared volume is recoverable from another host;
 *   - kubernetes (`kubernetes://NAMESPACE`): ledgers in ConfigMaps, locks and liveness in Leases.
 * The guarantees are the same in both: a ledger line is durable before the call that writes it resolves (so an
 * entry is recorded before its fault is injected); of two runs racing for a target exactly one gets it; a run is
 * taken for dead only once its liveness record expired and nobody renewed it while we watched (liveness.ts), or,
 * on its own host, once its process is gone.
 */
import type { FoldedLedger, LedgerLine, LedgerRunHeader } from './ledger-lines.js';
import type { LivenessJudge, LivenessRecord } from './liveness.js';

/** Who holds a liveness record or a lock: one run (or game day) of one process on one host. */
export interface Holder {
  /** The run id (or the game day's id): what a run's liveness record is named by. */
  runId: string;
  /** The identity host: CHAOS_HOSTNAME, else the hostname (a pod's name in Kubernetes). */
  host: string;
  pid: number;
  pidStartTime: string | null;
}

export interface LivenessTiming {
  /** How often the holder renews its records. */
  renewEveryMs: number;
  /** How long a renewal holds: past it, without renewal, the holder is taken for dead. */
  durationMs: number;
}

/** The defaults, as Kubernetes' own leader election uses them (client-go renews well within a 15 s lease). */
export const DEFAULT_TIMING: LivenessTiming = { renewEveryMs: 5_000, durationMs: 15_000 };

export interface HolderEvents {
  /** The holder lost a record (could not renew it in time, or somebody took it over): stop injecting, revert. */
  onLost: (reason: string) => void;
  /** A renewal failed but may succeed next time. */
  onError: (error: unknown) => void;
}

/** A record kept renewed until `stop`. */
export interface LivenessHandle {
  /** Stops renewing and removes the record. Idempotent. */
  stop(): Promise<void>;
}

/** The writer of one run's ledger. */
export interface LedgerSink {
  /** Where it lives, for messages: a file path, or `configmap NAMESPACE/NAME`. */
  readonly location: string;
  /**
   * Appends lines in order; resolves only once they are durable (fsynced; committed by the API server).
   * `closes`: the run is over and nothing of it needs recovery, so readers looking for work may skip it.
   */
  append(lines: readonly LedgerLine[], options?: { closes?: boolean }): Promise<void>;
}

export interface LockTarget {
  name: string;
  /** The plugin's target key: the identity of the real thing. Never shown: locks are named by its hash. */
  key: string;
}

export interface HeldLocks {
  /** What the operator should know, e.g. that a dead run's lock was taken over. */
  readonly warnings: readonly string[];
  /** Releases every lock still ours. Idempotent. */
  release(): Promise<void>;
}

/** A run as the backend has it: its ledger folded, and its liveness record (null: none, or none any more). */
export interface StoredRun {
  location: string;
  ledger: FoldedLedger & { header: LedgerRunHeader };
  liveness: LivenessRecord | null;
}

export interface StateBackend {
  /** `file:/abs/.chaos` or `kubernetes://NAMESPACE`, as the journal records it. */
  readonly description: string;
  readonly timing: LivenessTiming;
  /** Creates the holder's liveness record and keeps it renewed until `stop`. */
  startLiveness(holder: Holder, events: HolderEvents): Promise<LivenessHandle>;
  /** Creates a run's ledger, its header the first line; fails if the run has one already. */
  createLedger(header: LedgerRunHeader): Promise<LedgerSink>;
  /** Locks every target or none: E_TARGET_LOCKED (exit 5) when one is held by a live run. */
  acquireLocks(targets: readonly LockTarget[], holder: Holder, judge: LivenessJudge, events: HolderEvents): Promise<HeldLocks>;
  /** Runs that may need work (not closed), oldest first; `all`: every run. */
  listRuns(options?: { all?: boolean }): Promise<StoredRun[]>;
  readRun(runId: string): Promise<StoredRun | null>;
  /** The ledger of an existing run, to append what recover did. */
  openLedger(runId: string): Promise<LedgerSink | null>;
  /**
   * Claims a dead run for recovery (its liveness record becomes ours, renewed while we revert), so two recoverers
   * never work on one run and a runner that comes back learns it lost. Null when another holder has it now.
   */
  claimRun(run: StoredRun, holder: Holder, judge: LivenessJudge, events: HolderEvents): Promise<LivenessHandle | null>;
  /**
   * Removes the locks and liveness records of holders that are gone (a run's record stays while its ledger needs
   * recovery: it says how the runner died); returns what was removed, for the operator.
   */
  removeStaleRecords(judge: LivenessJudge): Promise<string[]>;
}

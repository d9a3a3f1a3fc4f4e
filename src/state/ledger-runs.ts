/**
 * The runs a state backend holds, each with its ledger folded and a verdict on its runner (liveness.ts): what
 * `chaos recover` acts on and what a run's preflight refuses to start over.
 */
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StateBackend, StoredRun } from './backend.js';
import { stateBackendOf } from './file-backend.js';
import type { JournalAnchor, LedgerEntry, LedgerRunHeader } from './ledger-lines.js';
import { LivenessJudge, type LivenessVerdict, type RecordedHolder } from './liveness.js';

export interface LedgerRun {
  header: LedgerRunHeader;
  /** Where its ledger is: a file path, or `configmap NAMESPACE/NAME`. */
  path: string;
  /** The run is over (its runner finished it, whatever the outcome), or `chaos recover` finished it. */
  finished: boolean;
  /** The journal's head as the run left it; null for a run that did not get that far. */
  journal: JournalAnchor | null;
  /** Its runner may still be there: alive, being confirmed dead, or not judgeable (another host, no record). */
  alive: boolean;
  /** Why it is taken for alive or dead, for people. */
  verdict: LivenessVerdict;
  /** In creation order, with their latest status. */
  entries: LedgerEntry[];
  /** Lines that could not be read; a crash mid-write tears at most the last one. */
  damagedLines: number[];
  stored: StoredRun;
}

export interface ReadRunsOptions {
  /** Judges the runners; kept across polls by `chaos recover --watch`. Default: a judge for this host. */
  judge?: LivenessJudge;
  /**
   * Wait out the confirmation window of runs whose record expired (one-shot callers); `false`: judge them again at
   * the next poll. Default true.
   */
  waitForSuspects?: boolean;
  /** Also runs the backend knows are closed (nothing to recover): the file backend lists every run anyway. */
  all?: boolean;
}

/** Rounds of waiting for suspects; a record renewed with a clock far behind ours stays suspect: alive. */
const SUSPECT_ROUNDS = 3;

/**
 * Every run recorded in the state backend (a directory: the file backend), oldest first. A ledger without a
 * readable header (the runner died while creating it, before any entry could exist) is skipped.
 */
export async function readLedgerRuns(state: StateBackend | string, options: ReadRunsOptions = {}): Promise<LedgerRun[]> {
  const backend = stateBackendOf(state);
  const judge = options.judge ?? new LivenessJudge({ host: hostname() });
  const runs = (await backend.listRuns(options.all === true ? { all: true } : {})).map((stored) => judged(stored, judge));
  for (let round = 0; round < SUSPECT_ROUNDS && options.waitForSuspects !== false; round++) {
    // Only a run whose verdict matters: unfinished, with something to recover.
    const suspects = runs.filter((r) => r.verdict.state === 'suspect' && !r.finished && r.entries.some(needsRecovery));
    if (suspects.length === 0) break;
    await sleep(Math.max(...suspects.map((r) => (r.verdict.state === 'suspect' ? r.verdict.recheckAfterMs : 0))) + 20);
    for (const suspect of suspects) {
      const again = await backend.readRun(suspect.header.runId);
      if (again !== null) runs[runs.indexOf(suspect)] = judged(again, judge);
    }
  }
  return runs;
}

function judged(stored: StoredRun, judge: LivenessJudge): LedgerRun {
  const { ledger } = stored;
  const { header } = ledger;
  const recorded: RecordedHolder = { host: header.host, pid: header.pid, pidStartTime: header.pidStartTime, keptLiveness: header.liveness !== undefined };
  const verdict = judge.judge(`run:${header.runId}`, stored.liveness, recorded);
  return {
    header,
    path: stored.location,
    finished: ledger.finished,
    journal: ledger.journal,
    alive: verdict.state !== 'dead',
    verdict,
    entries: ledger.entries,
    damagedLines: ledger.damagedLines,
    stored,
  };
}

/** Whether an entry may have left a change behind that needs a revert or a release. */
export function needsRecovery(entry: LedgerEntry): boolean {
  switch (entry.status) {
    case 'active':
    case 'revert-failed':
      return true;
    case 'pending':
      // Pending without state: the runner died before the injector recorded anything, so nothing changed.
      return entry.state !== null;
    case 'reverted':
    case 'not-injected':
      return false;
  }
}

/**
 * Whether recover may act on a run: it finished (its runner is done with it, whatever the outcome, so what it left
 * is nobody's but recover's) or its runner is gone.
 */
export function isRunRecoverable(run: LedgerRun): boolean {
  return run.finished || !run.alive;
}

/**
 * Entries that block every later run against their target until `chaos recover` clears them: entries that may have
 * left a change behind (pending with state, active, revert-failed) in runs that finished or whose runner is gone,
 * and a failed revert in any run. Whether the run's process is alive proves nothing: a scheduler, a game day and
 * an API caller run one experiment after another in one live process.
 */
export async function unrecoveredEntries(state: StateBackend | string, options: ReadRunsOptions = {}): Promise<Array<{ run: LedgerRun; entry: LedgerEntry }>> {
  const found: Array<{ run: LedgerRun; entry: LedgerEntry }> = [];
  for (const run of await readLedgerRuns(state, options)) {
    const ended = isRunRecoverable(run);
    for (const entry of run.entries) if (needsRecovery(entry) && (ended || entry.status === 'revert-failed')) found.push({ run, entry });
  }
  return found;
}

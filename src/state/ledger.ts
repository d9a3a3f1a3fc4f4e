/**
 * The fault ledger (DESIGN §2 "Crash safety"): one append-only JSON-lines file per run under
 * `<stateDir>/ledger/<runId>.jsonl`, every line fsynced before the call returns. A fault's entry is written before
 * it is injected and learns the plain-JSON state its revert needs, so `chaos recover` can undo it after the runner
 * died. Folding the lines in order gives each entry's latest status.
 *
 * Secrets never reach the ledger: targets are stored as their `configTemplate`, with `${secrets.NAME}` left in.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Redactor } from '../experiment/redact.js';
import type { Json, JsonObject } from '../json.js';
import { isProcessAlive } from '../os/process-identity.js';
import { appendDurably, createDurably, isCode } from '../os/fsync.js';
import { listStateDir, stateDirError } from './state-dir.js';
import { applyLine, parseLedger, type FoldedLedger, type JournalAnchor, type LedgerEntry, type LedgerEntryKind, type LedgerLine, type LedgerRunHeader, type LedgerTarget } from './ledger-lines.js';

export type { FoldedLedger, JournalAnchor, LedgerEntry, LedgerEntryKind, LedgerEntryStatus, LedgerLine, LedgerRunHeader, LedgerTarget } from './ledger-lines.js';
export { foldLedgerLines, parseLedger } from './ledger-lines.js';

/** The ledger file of a run. */
export function ledgerPath(stateDir: string, runId: string): string {
  return join(stateDir, 'ledger', `${runId}.jsonl`);
}

/**
 * The writer side of one run's ledger. Appends are serialized: concurrent callers never interleave, and each call
 * resolves only once its line is on disk.
 */
export class Ledger {
  readonly path: string;
  private readonly byId = new Map<string, LedgerEntry>();
  private readonly order: LedgerEntry[] = [];
  private tail: Promise<void> = Promise.resolve();
  private nextSeq = 1;
  private readonly redact: Redactor;

  private constructor(path: string, redact: Redactor) {
    this.path = path;
    this.redact = redact;
  }

  /**
   * Creates the run's ledger file with its header line. Fails if a ledger for this run id already exists. `redact`
   * hides the run's secret values in every line (a plugin's error message, a recorded state), so none reaches disk.
   */
  static async open(stateDir: string, header: LedgerRunHeader, options: { redact?: Redactor } = {}): Promise<Ledger> {
    const ledger = new Ledger(ledgerPath(stateDir, header.runId), options.redact ?? ((value) => value));
    const line: LedgerLine = { kind: 'run', ...header };
    await mkdir(join(stateDir, 'ledger'), { recursive: true }).catch((error: unknown) => {
      throw stateDirError(error, stateDir);
    });
    await createDurably(ledger.path, `${JSON.stringify(line)}\n`).catch((error: unknown) => {
      // A second ledger for one run id (EEXIST) is a bug, not a directory to fix.
      throw isCode(error, 'EEXIST') ? error : stateDirError(error, stateDir);
    });
    return ledger;
  }

  /** The entries written so far, in creation order, with their latest status. */
  get entries(): readonly LedgerEntry[] {
    return this.order;
  }

  /**
   * Written and fsynced BEFORE injecting or creating: status pending, with the state a revert or release needs if
   * it is already known (a resource's intent), else null. Returns the entry id.
   */
  async begin(kind: LedgerEntryKind, type: string, target: LedgerTarget, params: JsonObject, description: string, state: JsonObject | null = null): Promise<string> {
    const id = `${kind === 'fault' ? 'f' : 'r'}${this.nextSeq++}`;
    const line: LedgerLine = { kind: 'entry', at: now(), id, entry: kind, type, target, params, description, ...(state === null ? {} : { state }) };
    await this.write(line);
    return id;
  }

  /** A pending entry learns the state its revert would need (inject calls this before its first change). */
  async recordState(id: string, state: JsonObject): Promise<void> {
    this.entry(id);
    await this.write({ kind: 'state', at: now(), id, state });
  }

  async markActive(id: string, state: JsonObject): Promise<void> {
    this.entry(id);
    await this.write({ kind: 'status', at: now(), id, status: 'active', state });
  }

  async markReverted(id: string): Promise<void> {
    this.entry(id);
    await this.write({ kind: 'status', at: now(), id, status: 'reverted' });
  }

  async markRevertFailed(id: string, error: string): Promise<void> {
    this.entry(id);
    await this.write({ kind: 'status', at: now(), id, status: 'revert-failed', error });
  }

  /** The inject failed before changing anything. */
  async markNotInjected(id: string, error: string): Promise<void> {
    this.entry(id);
    await this.write({ kind: 'status', at: now(), id, status: 'not-injected', error });
  }

  /**
   * The run is over, whatever its outcome: its runner will not touch its entries again. What still needs recovery
   * then blocks later runs against those targets, and `chaos recover` reverts it even while this process lives on.
   */
  async finish(): Promise<void> {
    await this.write({ kind: 'run-finished', at: now() });
  }

  /** Anchors the journal's head (after its last entry), for `chaos journal verify`. */
  async anchorJournal(anchor: JournalAnchor): Promise<void> {
    await this.write({ kind: 'journal', at: now(), ...anchor });
  }

  private entry(id: string): LedgerEntry {
    const entry = this.byId.get(id);
    if (!entry) throw new Error(`ledger ${this.path}: no entry ${id}`);
    return entry;
  }

  private write(unredacted: LedgerLine): Promise<void> {
    const line = redactLine(unredacted, this.redact);
    const done = this.tail.then(async () => {
      // An earlier append that failed half-way (disk full) may have left a fragment: never glue a line onto it.
      await appendDurably(this.path, `${JSON.stringify(line)}\n`, { repairTornLine: true });
      // The in-memory view follows the disk: it changes only after the line is durable.
      applyLine(line, this.byId, this.order);
    });
    this.tail = done.catch(() => undefined);
    return done;
  }
}

/**
 * Hides secrets in the free-form parts of a line only (what plugins and errors wrote). Structural fields (kind,
 * status, ids, the header) stay as they are: a secret that happens to read `active` must not break the ledger.
 */
function redactLine(line: LedgerLine, redact: Redactor): LedgerLine {
  const copy: Record<string, unknown> = { ...line };
  for (const field of ['description', 'params', 'state', 'error'] as const) {
    const value = copy[field];
    if (value !== undefined && value !== null) copy[field] = redact(value as Json);
  }
  return copy as unknown as LedgerLine;
}

/** One run's ledger, folded; null when the state directory has no ledger of that run. */
export async function readLedgerRun(stateDir: string, runId: string): Promise<FoldedLedger | null> {
  const text = await readFile(ledgerPath(stateDir, runId), 'utf8').catch((error: unknown) => {
    if (isCode(error, 'ENOENT', 'ENOTDIR')) return null;
    throw error;
  });
  return text === null ? null : parseLedger(text);
}

/** Appends lines to an existing ledger file (used by `recover` on a dead run's file), repairing a torn last line. */
export async function appendLedgerLines(path: string, lines: readonly LedgerLine[]): Promise<void> {
  if (lines.length === 0) return;
  await appendDurably(path, lines.map((l) => `${JSON.stringify(l)}\n`).join(''), { repairTornLine: true });
}

export interface LedgerRun {
  header: LedgerRunHeader;
  path: string;
  /** The run is over (its runner finished it, whatever the outcome), or `chaos recover` finished it. */
  finished: boolean;
  /** The journal's head as the run left it; null for a run that did not get that far. */
  journal: JournalAnchor | null;
  /** Its process still runs (or runs on another host, where we cannot tell). */
  alive: boolean;
  /** In creation order, with their latest status. */
  entries: LedgerEntry[];
  /** Lines that could not be read; a crash mid-write tears at most the last one. */
  damagedLines: number[];
}

/**
 * Every run recorded under `stateDir`, oldest first. A file without a readable header (the runner died while
 * creating it, before any entry could exist) is skipped.
 */
export async function readLedgerRuns(stateDir: string): Promise<LedgerRun[]> {
  const dir = join(stateDir, 'ledger');
  const names = await listStateDir(stateDir, 'ledger');
  const runs: LedgerRun[] = [];
  for (const name of names.filter((n) => n.endsWith('.jsonl')).sort()) {
    const path = join(dir, name);
    const text = await readFile(path, 'utf8').catch((error: unknown) => {
      if (isCode(error, 'ENOENT')) return null; // removed since the listing
      throw stateDirError(error, stateDir);
    });
    if (text === null) continue;
    const folded = parseLedger(text);
    if (folded.header === null) continue;
    const { header } = folded;
    runs.push({
      header,
      path,
      finished: folded.finished,
      journal: folded.journal,
      alive: isRunAlive(header),
      entries: folded.entries,
      damagedLines: folded.damagedLines,
    });
  }
  return runs.sort((a, b) => a.header.startedAt.localeCompare(b.header.startedAt));
}

/**
 * A run's process is checked only on the host that started it: a PID means nothing elsewhere (a state dir on a
 * shared volume), so a run from another host counts as alive and is never reverted behind its back.
 */
function isRunAlive(header: LedgerRunHeader): boolean {
  if (header.host !== hostname()) return true;
  return isProcessAlive({ pid: header.pid, startTime: header.pidStartTime });
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
 * is nobody's but recover's) or its process is gone.
 */
export function isRunRecoverable(run: LedgerRun): boolean {
  return run.finished || !run.alive;
}

/**
 * Entries that block every later run against their target until `chaos recover` clears them: entries that may have
 * left a change behind (pending with state, active, revert-failed) in runs that finished or whose process is gone,
 * and a failed revert in any run. Whether the run's process is alive proves nothing: a scheduler, a game day and
 * an API caller run one experiment after another in one live process.
 */
export async function unrecoveredEntries(stateDir: string): Promise<Array<{ run: LedgerRun; entry: LedgerEntry }>> {
  const found: Array<{ run: LedgerRun; entry: LedgerEntry }> = [];
  for (const run of await readLedgerRuns(stateDir)) {
    const ended = isRunRecoverable(run);
    for (const entry of run.entries) if (needsRecovery(entry) && (ended || entry.status === 'revert-failed')) found.push({ run, entry });
  }
  return found;
}

function now(): string {
  return new Date().toISOString();
}

/**
 * The fault ledger (DESIGN §2 "Crash safety"): one append-only record per run in the state backend (a JSON-lines
 * file `<stateDir>/ledger/<runId>.jsonl`, every line fsynced; or ConfigMaps in the API server), every line durable
 * before the call returns. A fault's entry is written before it is injected and learns the plain-JSON state its
 * revert needs, so `chaos recover` can undo it after the runner died. Folding the lines in order gives each entry's
 * latest status.
 *
 * Secrets never reach the ledger: targets are stored as their `configTemplate`, with `${secrets.NAME}` left in.
 */
import { readFile } from 'node:fs/promises';
import type { Redactor } from '../experiment/redact.js';
import type { Json, JsonObject } from '../json.js';
import { appendDurably, isCode } from '../os/fsync.js';
import type { LedgerSink, StateBackend } from './backend.js';
import { ledgerPath, stateBackendOf } from './file-backend.js';
import { applyLine, parseLedger, type FoldedLedger, type JournalAnchor, type LedgerEntry, type LedgerEntryKind, type LedgerLine, type LedgerRunHeader, type LedgerTarget } from './ledger-lines.js';
import { needsRecovery } from './ledger-runs.js';

export type { FoldedLedger, JournalAnchor, LedgerEntry, LedgerEntryKind, LedgerEntryStatus, LedgerLine, LedgerRunHeader, LedgerTarget } from './ledger-lines.js';
export { foldLedgerLines, parseLedger } from './ledger-lines.js';
export { ledgerPath } from './file-backend.js';
export { isRunRecoverable, needsRecovery, readLedgerRuns, unrecoveredEntries, type LedgerRun, type ReadRunsOptions } from './ledger-runs.js';

/**
 * The writer side of one run's ledger. Appends are serialized: concurrent callers never interleave, and each call
 * resolves only once its line is durable.
 */
export class Ledger {
  readonly #byId = new Map<string, LedgerEntry>();
  readonly #order: LedgerEntry[] = [];
  #tail: Promise<void> = Promise.resolve();
  #nextSeq = 1;

  readonly #sink: LedgerSink;
  readonly #redact: Redactor;

  private constructor(
    sink: LedgerSink,
    redact: Redactor,
  ) {
    this.#sink = sink;
    this.#redact = redact;
  }

  /** Where the ledger lives: a file path, or `configmap NAMESPACE/NAME`. */
  get path(): string {
    return this.#sink.location;
  }

  /**
   * Creates the run's ledger in the state backend (a directory: the file backend) with its header line. Fails if a
   * ledger for this run id already exists. `redact` hides the run's secret values in every line (a plugin's error
   * message, a recorded state), so none is ever stored.
   */
  static async open(state: StateBackend | string, header: LedgerRunHeader, options: { redact?: Redactor } = {}): Promise<Ledger> {
    const sink = await stateBackendOf(state).createLedger(header);
    return new Ledger(sink, options.redact ?? ((value) => value));
  }

  /** The entries written so far, in creation order, with their latest status. */
  get entries(): readonly LedgerEntry[] {
    return this.#order;
  }

  /**
   * Written and fsynced BEFORE injecting or creating: status pending, with the state a revert or release needs if
   * it is already known (a resource's intent), else null. Returns the entry id.
   */
  async begin(kind: LedgerEntryKind, type: string, target: LedgerTarget, params: JsonObject, description: string, state: JsonObject | null = null): Promise<string> {
    const id = `${kind === 'fault' ? 'f' : 'r'}${this.#nextSeq++}`;
    const line: LedgerLine = { kind: 'entry', at: now(), id, entry: kind, type, target, params, description, ...(state === null ? {} : { state }) };
    await this.#write(line);
    return id;
  }

  /** A pending entry learns the state its revert would need (inject calls this before its first change). */
  async recordState(id: string, state: JsonObject): Promise<void> {
    this.#entry(id);
    await this.#write({ kind: 'state', at: now(), id, state });
  }

  async markActive(id: string, state: JsonObject): Promise<void> {
    this.#entry(id);
    await this.#write({ kind: 'status', at: now(), id, status: 'active', state });
  }

  async markReverted(id: string): Promise<void> {
    this.#entry(id);
    await this.#write({ kind: 'status', at: now(), id, status: 'reverted' });
  }

  async markRevertFailed(id: string, error: string): Promise<void> {
    this.#entry(id);
    await this.#write({ kind: 'status', at: now(), id, status: 'revert-failed', error });
  }

  /** The inject failed before changing anything. */
  async markNotInjected(id: string, error: string): Promise<void> {
    this.#entry(id);
    await this.#write({ kind: 'status', at: now(), id, status: 'not-injected', error });
  }

  /**
   * The run is over, whatever its outcome: its runner will not touch its entries again. What still needs recovery
   * then blocks later runs against those targets, and `chaos recover` reverts it even while this process lives on.
   */
  async finish(): Promise<void> {
    // Nothing left to recover: readers looking for work may skip this run from now on.
    await this.#write({ kind: 'run-finished', at: now() }, { closes: !this.#order.some(needsRecovery) });
  }

  /** Anchors the journal's head (after its last entry), for `chaos journal verify`. */
  async anchorJournal(anchor: JournalAnchor): Promise<void> {
    await this.#write({ kind: 'journal', at: now(), ...anchor });
  }

  #entry(id: string): LedgerEntry {
    const entry = this.#byId.get(id);
    if (!entry) throw new Error(`ledger ${this.path}: no entry ${id}`);
    return entry;
  }

  #write(unredacted: LedgerLine, options: { closes?: boolean } = {}): Promise<void> {
    const line = redactLine(unredacted, this.#redact);
    const done = this.#tail.then(async () => {
      await this.#sink.append([line], options);
      // The in-memory view follows the store: it changes only after the line is durable.
      applyLine(line, this.#byId, this.#order);
    });
    this.#tail = done.catch(() => undefined);
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

function now(): string {
  return new Date().toISOString();
}

/**
 * The format of a ledger file (see ledger.ts): its line types, and folding lines into each entry's latest status.
 * Pure, so it is tested without a disk.
 */
import type { SecretSource } from '../experiment/types.js';
import type { Json, JsonObject } from '../json.js';

export type LedgerEntryStatus = 'pending' | 'active' | 'reverted' | 'revert-failed' | 'not-injected';
export type LedgerEntryKind = 'fault' | 'resource';

export interface LedgerTarget {
  name: string;
  /** The plugin name. */
  type: string;
  /** The plugin's targetKey: the identity of the real thing, as used by locks. */
  key: string;
  /** The target's config with `${secrets.NAME}` unsubstituted. */
  configTemplate: JsonObject;
}

export interface LedgerEntry {
  /** Unique within its run; ids sort in creation order only by `createdSeq`, not as strings. */
  id: string;
  kind: LedgerEntryKind;
  /** Full fault or resource type, e.g. `process.pause`. */
  type: string;
  target: LedgerTarget;
  params: JsonObject;
  /** What the revert (or release) needs; null until the injector recorded it. */
  state: JsonObject | null;
  status: LedgerEntryStatus;
  description: string;
  createdAt: string;
  updatedAt: string;
  error: string | null;
}

export interface LedgerRunHeader {
  runId: string;
  pid: number;
  pidStartTime: string | null;
  host: string;
  user: string;
  startedAt: string;
  experiment: string;
  file: string;
  secrets: Record<string, SecretSource>;
  /**
   * How the runner keeps its liveness record (a heartbeat, a Lease) renewed; absent in ledgers of versions that kept
   * none. With it, a record that is gone means the runner ended.
   */
  liveness?: { renewEveryMs: number; durationMs: number };
}

/** One line of a ledger file. */
export type LedgerLine =
  | ({ kind: 'run' } & LedgerRunHeader)
  | {
      kind: 'entry';
      at: string;
      id: string;
      entry: LedgerEntryKind;
      type: string;
      target: LedgerTarget;
      params: JsonObject;
      description: string;
      /** A resource's intent: written with its entry, before the resource is created, so no crash can orphan it. */
      state?: JsonObject;
    }
  | { kind: 'state'; at: string; id: string; state: JsonObject }
  | { kind: 'status'; at: string; id: string; status: LedgerEntryStatus; state?: JsonObject; error?: string; by?: string }
  | { kind: 'run-finished'; at: string; recovered?: boolean }
  /** The run's journal at its end: `chaos journal verify` compares it, so a cut-off or recomputed chain shows. */
  | ({ kind: 'journal'; at: string } & JournalAnchor);

export interface JournalAnchor {
  /** Where the run wrote it (the folder may have moved since). */
  path: string;
  entries: number;
  /** The last entry's hash. */
  head: string;
}

export interface FoldedLedger {
  header: LedgerRunHeader | null;
  finished: boolean;
  /** The journal's head as the run left it; null for a run that did not get that far. */
  journal: JournalAnchor | null;
  /** In creation order. */
  entries: LedgerEntry[];
  /** 1-based numbers of lines that could not be read (a line torn by a crash mid-write). */
  damagedLines: number[];
}

/** Parses and folds the text of a ledger file; unreadable lines are skipped and reported in `damagedLines`. */
export function parseLedger(text: string): FoldedLedger {
  const lines: unknown[] = [];
  const damagedLines: number[] = [];
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    try {
      lines.push(JSON.parse(raw));
    } catch {
      damagedLines.push(index + 1);
    }
  });
  return { ...foldLedgerLines(lines), damagedLines };
}

/** Folds parsed ledger lines into the header and each entry's latest status. Lines of unknown shape are ignored. */
export function foldLedgerLines(lines: readonly unknown[]): Omit<FoldedLedger, 'damagedLines'> {
  let header: LedgerRunHeader | null = null;
  let finished = false;
  let journal: JournalAnchor | null = null;
  const byId = new Map<string, LedgerEntry>();
  const order: LedgerEntry[] = [];
  for (const raw of lines) {
    if (!isObject(raw) || typeof raw.kind !== 'string') continue;
    const line = raw as LedgerLine;
    if (line.kind === 'run') {
      if (header === null) header = headerOf(line);
    } else if (line.kind === 'run-finished') {
      finished = true;
    } else if (line.kind === 'journal') {
      journal = { path: String(line.path), entries: Number(line.entries), head: String(line.head) };
    } else {
      applyLine(line, byId, order);
    }
  }
  return { header, finished, journal, entries: order };
}

/** Applies one entry, state or status line to the entries seen so far. */
export function applyLine(line: LedgerLine, byId: Map<string, LedgerEntry>, order: LedgerEntry[]): void {
  if (line.kind === 'entry') {
    if (byId.has(line.id)) return;
    const entry: LedgerEntry = {
      id: line.id,
      kind: line.entry,
      type: line.type,
      target: line.target,
      params: line.params,
      state: line.state ?? null,
      status: 'pending',
      description: line.description,
      createdAt: line.at,
      updatedAt: line.at,
      error: null,
    };
    byId.set(line.id, entry);
    order.push(entry);
    return;
  }
  if (line.kind !== 'state' && line.kind !== 'status') return;
  const entry = byId.get(line.id);
  if (!entry) return;
  entry.updatedAt = line.at;
  if (line.kind === 'state') {
    entry.state = line.state;
    return;
  }
  entry.status = line.status;
  if (line.state !== undefined) entry.state = line.state;
  entry.error = line.error ?? null;
}

function headerOf(line: { kind: 'run' } & LedgerRunHeader): LedgerRunHeader {
  const { kind: _kind, ...header } = line;
  return header;
}

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `chaos recover`: reverts what runs left behind when their runner died (kill -9, power loss, a pod evicted) or when
 * a revert failed. It works from the ledger alone, in whichever state backend holds it: for each run whose runner
 * is gone (liveness.ts: its process on this host, or its heartbeat or Lease expired unrenewed) or that finished,
 * it first claims the run (so no other recover works on it, and a runner that comes back learns it lost), reverts
 * its faults newest first, then releases its resources newest first, and appends each outcome to that run's
 * ledger. Idempotent: what is marked reverted is not touched again, so a second call does nothing. Locks of dead
 * runs are removed too.
 */
import { type ZodError } from 'zod';
import type { JsonObject } from '../json.js';
import type { ActivityContext, ChaosPlugin, Connection, Logger, ResourceTracker } from '../plugins/api.js';
import type { Registry } from '../plugins/registry.js';
import { isRunRecoverable, needsRecovery, readLedgerRuns, type LedgerEntry, type LedgerLine, type LedgerRun } from '../state/ledger.js';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { createRedactor } from '../experiment/redact.js';
import { currentProcess } from '../os/process-identity.js';
import type { Holder, LedgerSink, StateBackend } from '../state/backend.js';
import { stateBackendOf } from '../state/file-backend.js';
import { LivenessJudge } from '../state/liveness.js';
import { substituteSecrets } from './secret-template.js';
import { ChaosError, ExitCode, messageOf } from '../errors.js';

export interface RecoverAction {
  runId: string;
  entryId: string;
  kind: 'fault' | 'resource';
  type: string;
  /** The target's name in that run's experiment. */
  target: string;
  description: string;
  outcome: 'reverted' | 'released' | 'failed';
  error: string | null;
}

export interface RecoverReport {
  actions: RecoverAction[];
  /** Runs left alone, and why: their runner is alive (or cannot be judged), or another recover is on them. */
  runsSkipped: Array<{ runId: string; reason: string; /** Entries only this host can revert were left for it. */ leftForHost?: string }>;
  /** Locks of runs whose runner is gone (and unfinished lock writes), removed. */
  locksRemoved: string[];
}

export interface RecoverOptions {
  /** Where the ledgers, locks and liveness records are; default: the file backend on `stateDir`. */
  state?: StateBackend;
  /** The local state directory: the file backend's, and where plugins reconnecting for a revert may keep things. */
  stateDir: string;
  registry: Registry;
  /** Where `{ env: VAR }` secrets are read from. */
  env: Record<string, string | undefined>;
  logger: Logger;
  /** When aborted, recover stops before the next entry; what is left stays in the ledger for the next call. */
  signal?: AbortSignal;
  /** Who recovers: its identity host decides whose PIDs it can check. Default: this process, on this hostname. */
  holder?: Holder;
  /** Kept across polls by `chaos recover --watch`. */
  judge?: LivenessJudge;
  /** Wait out the confirmation of runs whose lease just expired (default); `--watch` judges again next poll. */
  waitForSuspects?: boolean;
  /** Runs to treat as dead whatever their liveness says (`--assume-dead`): said loudly. */
  assumeDead?: readonly string[];
  /** Only these runs (a run's preflight with `safety.autoRecover`: the runs with entries on its targets). */
  onlyRuns?: ReadonlySet<string>;
}

export async function recover(options: RecoverOptions): Promise<RecoverReport> {
  const signal = options.signal ?? new AbortController().signal;
  const state = stateBackendOf(options.state ?? options.stateDir);
  const self = currentProcess();
  const holder: Holder = options.holder ?? { runId: `recover-${self.pid}`, host: hostname(), pid: self.pid, pidStartTime: self.startTime };
  const judge = options.judge ?? new LivenessJudge({ host: holder.host });
  const report: RecoverReport = { actions: [], runsSkipped: [], locksRemoved: [] };
  // Newest run first: its faults were layered on top of anything older runs left behind.
  const runs = (await readLedgerRuns(state, { judge, waitForSuspects: options.waitForSuspects ?? true })).reverse();
  const assumeDead = new Set(options.assumeDead ?? []);
  for (const runId of assumeDead) {
    if (!runs.some((r) => r.header.runId === runId) && (await state.readRun(runId)) === null) {
      throw new ChaosError(`--assume-dead ${runId}: no such run in ${state.description}`, {
        code: 'E_UNKNOWN_RUN', exitCode: ExitCode.InvalidInput, hint: 'the run id is in the ledger (chaos recover --json lists the runs it skipped)',
      });
    }
  }
  for (const run of runs) {
    if (signal.aborted) break;
    const runId = run.header.runId;
    if (options.onlyRuns !== undefined && !options.onlyRuns.has(runId)) continue;
    const pending = run.entries.filter(needsRecovery);
    const forced = assumeDead.has(runId);
    if (!isRunRecoverable(run) && !forced) {
      report.runsSkipped.push({ runId, reason: run.verdict.reason });
      continue;
    }
    if (forced && !isRunRecoverable(run)) options.logger.warn(`--assume-dead: treating run ${runId} as dead although ${run.verdict.reason}`);
    if (run.finished && pending.length === 0) continue;
    const elsewhere = run.header.host === holder.host ? [] : pending.filter((e) => isHostLocal(e, options.registry));
    if (elsewhere.length > 0) {
      const types = [...new Set(elsewhere.map((e) => e.type))].join(', ');
      report.runsSkipped.push({ runId, reason: `${elsewhere.length} of its entries (${types}) act on processes of host ${run.header.host}: run chaos recover there`, leftForHost: run.header.host });
      if (elsewhere.length === pending.length) continue;
    }
    const claim = await state.claimRun(run.stored, holder, judge, {
      onLost: (why) => options.logger.warn(`run ${runId}: lost the claim while recovering it (${why}); another recover may take over`),
      onError: (error) => options.logger.debug(`run ${runId}: renewing the claim failed: ${messageOf(error)}`),
    });
    if (claim === null) {
      report.runsSkipped.push({ runId, reason: 'another chaos recover is recovering it' });
      continue;
    }
    try {
      const sink = await state.openLedger(runId);
      if (sink !== null) await recoverRun(run, pending.filter((e) => !elsewhere.includes(e)), elsewhere.length > 0, sink, options, signal, report);
    } finally {
      await claim.stop();
    }
  }
  // A dead run's lock would only be taken over by the next run; recover leaves nothing of it behind.
  if (!signal.aborted) report.locksRemoved = await state.removeStaleRecords(judge);
  return report;
}

/** `leftForItsHost`: entries only the run's own host can revert remain, so the run is not closed here. */
async function recoverRun(
  run: LedgerRun, pending: LedgerEntry[], leftForItsHost: boolean, sink: LedgerSink, options: RecoverOptions, signal: AbortSignal, report: RecoverReport,
): Promise<void> {
  const { logger } = options;
  const runId = run.header.runId;
  if (pending.length > 0) logger.info(`recovering run ${runId} (pid ${run.header.pid} on ${run.header.host}, ${run.header.file}): ${pending.length} entries`);
  const sessions = new SessionCache(run, options, signal);
  let failed = false;
  try {
    // LIFO by creation: the ledger lists entries in creation order.
    const faults = pending.filter((e) => e.kind === 'fault').reverse();
    const resources = pending.filter((e) => e.kind === 'resource').reverse();
    for (const entry of [...faults, ...resources]) {
      if (signal.aborted) return;
      const action = await recoverEntry(run, entry, sessions, options, signal);
      report.actions.push(action);
      if (action.outcome === 'failed') {
        failed = true;
        logger.warn(`run ${runId}: could not ${entry.kind === 'fault' ? 'revert' : 'release'} ${entry.description} (${entry.type} on ${entry.target.name}): ${action.error}`);
        await sink.append([{ kind: 'status', at: now(), id: entry.id, status: 'revert-failed', error: action.error ?? 'unknown error', by: 'recover' }]);
      } else {
        logger.info(`run ${runId}: ${action.outcome} ${entry.description} (${entry.type} on ${entry.target.name})`);
        await sink.append([{ kind: 'status', at: now(), id: entry.id, status: 'reverted', by: 'recover' }]);
      }
    }
  } finally {
    await sessions.closeAll(logger);
  }
  if (failed || leftForItsHost) return;
  if (run.finished) {
    // Nothing of it needs recovery any more: readers looking for work may skip it.
    await sink.append([], { closes: true });
    return;
  }
  // Entries that never recorded a state changed nothing; close them so the ledger tells the whole story.
  const closing: LedgerLine[] = run.entries
    .filter((e) => e.status === 'pending' && e.state === null)
    .map((e) => ({ kind: 'status', at: now(), id: e.id, status: 'not-injected', error: 'the runner died before anything was changed', by: 'recover' }));
  closing.push({ kind: 'run-finished', at: now(), recovered: true });
  await sink.append(closing, { closes: true });
}

async function recoverEntry(run: LedgerRun, entry: LedgerEntry, sessions: SessionCache, options: RecoverOptions, signal: AbortSignal): Promise<RecoverAction> {
  const base = {
    runId: run.header.runId,
    entryId: entry.id,
    kind: entry.kind,
    type: entry.type,
    target: entry.target.name,
    description: entry.description,
  };
  const fail = (error: string): RecoverAction => ({ ...base, outcome: 'failed', error: sessions.redact(error) });
  // Active and revert-failed entries always carry the state their inject returned or recorded.
  const state: JsonObject = entry.state ?? {};
  try {
    // Only the plugins the ledger names are loaded, each on first use.
    const pluginName = (entry.kind === 'resource' ? options.registry.resources : options.registry.faults).get(entry.type)?.plugin.name;
    const plugins = pluginName === undefined ? null : await options.registry.load([pluginName]);
    if (entry.kind === 'resource') {
      const registered = plugins?.resources.get(entry.type);
      if (!registered) return fail(unknownType('resource', entry.type));
      await registered.def.release(state, options.logger);
      return { ...base, outcome: 'released', error: null };
    }
    const registered = plugins?.faults.get(entry.type);
    if (!registered) return fail(unknownType('fault', entry.type));
    const session = await sessions.get(entry, registered.plugin);
    const ctx: ActivityContext = { runId: run.header.runId, signal, logger: sessions.logger, targetName: entry.target.name };
    await registered.def.revert(session, state, ctx);
    return { ...base, outcome: 'reverted', error: null };
  } catch (error) {
    return fail(messageOf(error));
  }
}

function isHostLocal(entry: LedgerEntry, registry: Registry): boolean {
  const registered = entry.kind === 'fault' ? registry.faults.get(entry.type) : registry.resources.get(entry.type);
  return registered?.plugin.hostLocal === true;
}

/** One connection per target of a run, opened on first use; a failed connect fails every entry of that target. */
class SessionCache {
  readonly #connections = new Map<string, Promise<Connection<unknown> | null>>();
  /** Secrets read to reconnect: hidden in every message recover writes or returns. */
  readonly secretValues: string[] = [];
  /** What plugins log while reconnecting and reverting, with those secrets hidden. */
  readonly logger: Logger = {
    debug: (m) => this.#options.logger.debug(this.redact(m)),
    info: (m) => this.#options.logger.info(this.redact(m)),
    warn: (m) => this.#options.logger.warn(this.redact(m)),
  };

  redact(text: string): string {
    return createRedactor(this.secretValues)(text);
  }

  readonly #run: LedgerRun;
  readonly #options: RecoverOptions;
  readonly #signal: AbortSignal;

  constructor(
    run: LedgerRun,
    options: RecoverOptions,
    signal: AbortSignal,
  ) {
    this.#run = run;
    this.#options = options;
    this.#signal = signal;
  }

  async get(entry: LedgerEntry, plugin: ChaosPlugin): Promise<unknown> {
    let connection = this.#connections.get(entry.target.name);
    if (!connection) {
      connection = this.#connect(entry, plugin);
      this.#connections.set(entry.target.name, connection);
    }
    return (await connection)?.session;
  }

  async #connect(entry: LedgerEntry, plugin: ChaosPlugin): Promise<Connection<unknown> | null> {
    if (!plugin.connect) return null;
    const name = entry.target.name;
    // The header records the experiment file's absolute path (older ledgers: as typed, relative to the run's cwd).
    const lookup = { sources: this.#run.header.secrets, env: this.#options.env, baseDir: dirname(resolve(this.#run.header.file)) };
    const { config: raw, values } = await substituteSecrets(entry.target.configTemplate, lookup, name);
    this.secretValues.push(...values);
    let config: unknown = raw;
    if (plugin.config) {
      const parsed = plugin.config.safeParse(raw);
      if (!parsed.success) throw new Error(`the recorded config of target "${name}" is no longer valid: ${zodSummary(parsed.error)}`);
      config = parsed.data;
    }
    try {
      return await plugin.connect(config, {
        targetName: name,
        purpose: 'recover',
        workDir: this.#options.stateDir,
        logger: this.logger,
        signal: this.#signal,
        resources: loggingTracker(this.#options.logger, name),
      });
    } catch (error) {
      throw new Error(`could not connect to target "${name}": ${messageOf(error)}`);
    }
  }

  async closeAll(logger: Logger): Promise<void> {
    for (const [name, pending] of this.#connections) {
      const connection = await pending.catch(() => null);
      await connection?.close?.().catch((error: unknown) => logger.warn(`closing target "${name}" failed: ${messageOf(error)}`));
    }
    this.#connections.clear();
  }
}

/** Recover connects only to reach what is already there; anything a plugin reports acquiring is just logged. */
function loggingTracker(logger: Logger, targetName: string): ResourceTracker {
  let next = 1;
  return {
    async intend(type, _state, description) {
      logger.debug(`target "${targetName}" creates ${type} (${description}) while recovering; not recorded`);
      return { id: `recover-${next++}` };
    },
    async acquired() {},
    async released(handle) {
      logger.debug(`target "${targetName}" released ${handle.id}`);
    },
  };
}

function unknownType(kind: 'fault' | 'resource', type: string): string {
  return `no installed plugin provides the ${kind} type "${type}"; install the plugin that recorded it, or undo it by hand`;
}

function zodSummary(error: ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

function now(): string {
  return new Date().toISOString();
}

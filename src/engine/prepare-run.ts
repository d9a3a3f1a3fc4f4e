/**
 * The first part of a run: claim the run folder, open the journal, wire the event bus and the abort sources
 * (the operator's signal, safety.maxDuration). Nothing outside this process is contacted yet.
 */
import { randomBytes } from 'node:crypto';
import { messageOf } from '../errors.js';
import { createRedactor, type Redactor } from '../experiment/redact.js';
import type { LoadedExperiment } from '../experiment/types.js';
import { asJson, type Json } from '../json.js';
import type { Logger } from '../logger.js';
import type { ObjectiveResult } from '../measure/objective-result.js';
import type { LoadedPlugins } from '../plugins/registry.js';
import type { Ledger } from '../state/ledger.js';
import type { HeldLocks, HolderEvents, LivenessHandle, StateBackend } from '../state/backend.js';
import { stateBackendOf } from '../state/file-backend.js';
import { openRunFolder, type RunFolder } from '../state/run-folder.js';
import { EventBus, type Phase } from './events.js';
import { FaultStack } from './faults.js';
import { journalRecorder } from './journal-subscriber.js';
import type { Measurement } from './observers/measurement.js';
import { redactingSubscriber } from './redacting-subscriber.js';
import { now, type RunContext } from './run-context.js';
import type { RunOptions } from './run-options.js';
import type { ConnectedTarget } from './targets.js';
import { Verdict } from './verdict.js';

/** Everything one run holds, from its preparation to its conclusion. */
export interface PreparedRun {
  loaded: LoadedExperiment;
  options: RunOptions;
  runId: string;
  startedAt: Date;
  redact: Redactor;
  folder: RunFolder;
  bus: EventBus;
  logger: Logger;
  /** Aborted by the operator, safety.maxDuration or a guardrail: the method stops, reverts never do. */
  abort: AbortController;
  /** Stops listening to the operator's signal and the maxDuration timer. */
  stopWatching(): void;
  stack: FaultStack;
  /** The plugins the experiment uses, loaded first thing in executeRun. */
  plugins: LoadedPlugins | null;
  targets: Map<string, ConnectedTarget>;
  /** Where the ledger, the locks and the run's liveness live. */
  state: StateBackend;
  /** Told when the run's liveness record is lost (the run aborts) or cannot be renewed. */
  livenessEvents: HolderEvents;
  liveness: LivenessHandle | null;
  ledger: Ledger | null;
  locks: HeldLocks | null;
  measurement: Measurement | null;
  /** Set once the method begins, cleared when the rollbacks start: rollbacks run once, whatever happens. */
  rollbacksDue: boolean;
  verdict: Verdict;
  objectives: ObjectiveResult[];
}

/** A sortable, unique run id: `20261126T201500Z-region-failover-3f9a`. */
export function newRunId(name: string, at: Date = new Date()): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${name}-${randomBytes(2).toString('hex')}`;
}

/**
 * Claims the run folder (throws E_RUN_DIR_TAKEN or E_RUN_DIR_UNWRITABLE before anything else happens), starts
 * the journal and announces the run.
 */
export async function prepareRun(loaded: LoadedExperiment, options: RunOptions): Promise<PreparedRun> {
  const { experiment, source } = loaded;
  const startedAt = new Date();
  const runId = newRunId(experiment.name, startedAt);
  const redact = createRedactor(loaded.secretValues);
  const folder = await openRunFolder(options.runDir, { unique: options.uniqueRunDir ?? false, redact });

  const bus = new EventBus(options.onSubscriberError ?? (() => undefined));
  // The engine writes its journal itself: every event, in order, however slow the disk (not as a subscriber).
  bus.recordWith(journalRecorder(folder.journal));
  for (const subscriber of options.subscribers ?? []) {
    bus.subscribe(loaded.secretValues.length === 0 ? subscriber : redactingSubscriber(subscriber, redact));
  }
  const logger = busLogger(bus);
  const abort = new AbortController();
  const stopWatching = watchAbortSources(abort, bus, options.signal, experiment.safety.maxDurationMs);
  const state = stateBackendOf(options.state ?? options.stateDir);

  await folder.journal.append('run-started', {
    runId,
    startedAt: startedAt.toISOString(),
    // Unchecked: a step's params are its plugin's parsed parameters (`unknown` here), JSON by their zod schema.
    experiment: experiment as unknown as Json,
    source: { path: source.path, sha256: source.sha256 },
    invocation: asJson(options.invocation),
    // Where the ledger that anchors this journal's head lives, for `chaos journal verify`.
    stateDir: options.stateDir,
    state: state.description,
  });
  await bus.emit('run:start', { runId, experiment, runDir: folder.dir, startedAt: startedAt.toISOString() });
  return {
    loaded,
    options,
    runId,
    startedAt,
    redact,
    folder,
    bus,
    logger,
    abort,
    stopWatching,
    stack: new FaultStack(),
    plugins: null,
    targets: new Map(),
    state,
    livenessEvents: livenessEventsOf(abort, bus, logger),
    liveness: null,
    ledger: null,
    locks: null,
    measurement: null,
    rollbacksDue: false,
    verdict: new Verdict(),
    objectives: [],
  };
}

/** What the activities of a run share, once its plugins are loaded and its ledger is open. */
export function runContextOf(run: PreparedRun, plugins: LoadedPlugins, ledger: Ledger): RunContext {
  const { runId, bus, logger, targets, redact } = run;
  return { runId, experiment: run.loaded.experiment, plugins, bus, logger, ledger, targets, redact, abortSignal: run.abort.signal };
}

export function emitPhase(run: PreparedRun, phase: Phase): Promise<void> {
  return run.bus.emit('phase', { phase, at: now() });
}

/**
 * Somebody decided this runner is gone (its lease was taken over) or it could not say it is alive for longer than
 * its lease: others may revert its faults now. It stops injecting and reverts what it holds (idempotent).
 */
function livenessEventsOf(abort: AbortController, bus: EventBus, logger: Logger): HolderEvents {
  return {
    onLost: (why: string) => {
      if (abort.signal.aborted) return;
      const reason = `the run lost its liveness record (${why}); stopping, and reverting its faults`;
      abort.abort(new Error(reason));
      void bus.emit('abort', { reason, kind: 'liveness-lost', at: now() });
    },
    onError: (error: unknown) => logger.warn(`state: renewing the run's liveness failed: ${messageOf(error)}`),
  };
}

function busLogger(bus: EventBus): Logger {
  const log = (level: 'debug' | 'info' | 'warn') => (message: string) => void bus.emit('log', { level, message, at: now() });
  return { debug: log('debug'), info: log('info'), warn: log('warn') };
}

/** The operator's signal and safety.maxDuration abort the run; returns what stops watching them. */
function watchAbortSources(abort: AbortController, bus: EventBus, operator: AbortSignal | undefined, maxDurationMs: number): () => void {
  const onOperatorAbort = () => {
    if (abort.signal.aborted) return;
    const reason = `aborted by the operator (${String(operator?.reason ?? 'signal')})`;
    abort.abort(new Error(reason));
    void bus.emit('abort', { reason, kind: 'signal', at: now() });
  };
  if (operator?.aborted) onOperatorAbort();
  operator?.addEventListener('abort', onOperatorAbort, { once: true });
  const maxDurationTimer = setTimeout(() => {
    if (abort.signal.aborted) return;
    const reason = `safety.maxDuration (${maxDurationMs} ms) reached`;
    abort.abort(new Error(reason));
    void bus.emit('abort', { reason, kind: 'max-duration', at: now() });
  }, maxDurationMs);
  maxDurationTimer.unref();
  return () => {
    clearTimeout(maxDurationTimer);
    operator?.removeEventListener('abort', onOperatorAbort);
  };
}

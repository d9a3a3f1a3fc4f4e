/**
 * The plugin contract. A plugin contributes a target type (its `config`), and fault, probe and action types, each
 * with its own zod parameter schema. The experiment schema, `chaos list` and the JSON Schema are all built from these.
 *
 * Type names are written in full, as they appear in experiment files: `process.pause`, `http`, `http.request`.
 * Every name starts with the plugin's name.
 */
import type { z } from 'zod';
import type { Json, JsonObject } from '../json.js';
import type { Logger } from '../logger.js';

export type { Logger };

/**
 * Why a target is being connected. `run` may start what the target manages (a process); `plan` and `recover` must
 * not start or change anything: they only look (plan) or reach what is already there (recover).
 */
export type ConnectPurpose = 'run' | 'plan' | 'recover';

/**
 * Something a connection owns outside this process (a child process it started), recorded in the ledger so that
 * `chaos recover` can release it after the runner died.
 */
export interface ResourceHandle {
  readonly id: string;
}

export interface ResourceTracker {
  /**
   * Call BEFORE creating the resource: writes and fsyncs a ledger entry whose state finds and releases it whether
   * or not the creation completes (a name, a marker in a process's environment), so no crash can orphan it.
   */
  intend(type: string, state: JsonObject, description: string): Promise<ResourceHandle>;
  /** The resource exists: `state` replaces the intent's with what creating it taught (a pid). */
  acquired(handle: ResourceHandle, state: JsonObject): Promise<void>;
  /** Marks the resource released: the plugin released it itself, or it was never created. */
  released(handle: ResourceHandle): Promise<void>;
}

export interface PluginContext {
  /** The target's name in the experiment file. */
  targetName: string;
  purpose: ConnectPurpose;
  /** Directory of the run (for logs of managed processes); the state dir for `recover`. */
  workDir: string;
  /** The state directory (ledger, locks), where long-lived things a plugin finds by name live (`chaos lab up`). */
  stateDir?: string;
  logger: Logger;
  signal: AbortSignal;
  resources: ResourceTracker;
  /** The experiment's `safety` limits a plugin enforces itself (Kubernetes namespaces, blast radius). Absent under `recover`. */
  safety?: SafetyLimits;
  /** The fault, probe and action types the experiment uses with this target, so `connect` can check their permissions. */
  uses?: readonly string[];
}

export interface SafetyLimits {
  allowNamespaces: readonly string[];
  blastRadius: { maxPods: number | null; maxPercent: number | null } | null;
}

/** What every activity (inject, revert, probe, action) receives. */
export interface ActivityContext {
  runId: string;
  /** Aborted when the activity times out or the run aborts; long waits must honour it. */
  signal: AbortSignal;
  logger: Logger;
  /** The target's name, when the activity has one. */
  targetName: string | null;
}

export interface InjectContext<State extends JsonObject = JsonObject> extends ActivityContext {
  /** Writes and fsyncs the revert state to the fault ledger. Call it before the first change. */
  record(state: State): Promise<void>;
}

/** Attributes a target publishes for `${targets.NAME.ATTR}`, known once it is connected. */
export type TargetAttributes = Record<string, string | number>;

export interface Connection<Session> {
  session: Session;
  attributes: TargetAttributes;
  /** Releases what `connect` started. Called once at the end of the run, after every revert. */
  close?(): Promise<void>;
}

/** One change `chaos plan` shows: what would happen, where. */
export interface PlannedChange {
  /** e.g. "SIGSTOP process 4242 (node server.js)". */
  action: string;
  /** e.g. "app". */
  target: string;
  details?: JsonObject;
}

/** A parameter schema: a zod object whose keys are the type's parameters (without `type` and `target`). */
export type ParamsSchema = z.ZodObject<z.ZodRawShape>;

export interface FaultType<Session = unknown, Params = any, State extends JsonObject = JsonObject> {
  /** Full name, e.g. `process.pause`. */
  type: string;
  description: string;
  params: ParamsSchema;
  /** What would change, for `chaos plan`. Optional: the default shows the type, target and parameters. */
  plan?(session: Session, params: Params, ctx: ActivityContext): Promise<PlannedChange[]>;
  /**
   * Injects the fault and returns the plain-JSON state its revert needs. Before changing anything, inject must call
   * `ctx.record(state)` with the state a revert would need if the runner died right after the change (the engine
   * fsyncs it to the ledger); it may call record again as it learns more. The returned state is recorded as final.
   */
  inject(session: Session, params: Params, ctx: InjectContext<State>): Promise<State>;
  /**
   * Undoes the fault from recorded state alone. Idempotent: it may run again after a crash, or after a revert that
   * was interrupted, and must succeed when the fault is already gone. The session comes from `connect` with
   * purpose `recover` when called by `chaos recover`.
   */
  revert(session: Session, state: State, ctx: ActivityContext): Promise<void>;
}

/** What a probe found. `ok` is the verdict against its tolerance; `output` goes to the journal. */
export interface ProbeOutcome {
  ok: boolean;
  /** One line a person reads: "status 503, expected 200". */
  message: string;
  output: Json;
}

export interface ProbeType<Session = unknown, Params = any> {
  type: string;
  description: string;
  /** Whether the probe names a `target:` (of this plugin's target type). */
  needsTarget: boolean;
  params: ParamsSchema;
  /** Runs the probe. Throwing is a failed probe with the error as its message. */
  run(session: Session | undefined, params: Params, ctx: ActivityContext): Promise<ProbeOutcome>;
}

export interface ActionType<Session = unknown, Params = any> {
  type: string;
  description: string;
  needsTarget: boolean;
  params: ParamsSchema;
  /** Runs the action and returns its output; throws when the action failed. */
  run(session: Session | undefined, params: Params, ctx: ActivityContext): Promise<Json>;
}

/** A kind of resource a plugin records in the ledger (see ResourceTracker). */
export interface ResourceType {
  type: string;
  /**
   * Releases the resource from its recorded state, which may be only the intent (the runner died while creating
   * it: it may or may not exist). Idempotent; must not throw when it is already gone or never came to exist.
   */
  release(state: JsonObject, logger: Logger): Promise<void>;
}

/**
 * Capability: the target answers PromQL, so `promql` SLOs and guardrails (objectives.slo[].promql,
 * safety.abortWhen[].promql) can name it. Values are plain numbers; a query that does not give exactly one series
 * is an error with a message for people.
 */
export interface MetricsSource {
  instantValue(query: string, signal: AbortSignal): Promise<{ value: number; labels: Record<string, string> }>;
  rangeSeries(query: string, start: Date, end: Date, stepMs: number, signal: AbortSignal): Promise<{ points: [number, number][]; labels: Record<string, string> }>;
}

/** Which end of the RPO objective an endpoint is: the writer acknowledges records, the reader finds them later. */
export type RpoRole = 'writer' | 'reader';

/**
 * Capability: a place the RPO objective (objectives.rpo) writes its records to and reads them back from, written
 * `{ type: <plugin name>, ... }` as `writer` or `reader`. Each record has a run-unique id; what the plugin reports
 * decides what counts as acknowledged, present or lost, so it must never guess.
 */
export interface RpoStoreType<Endpoint = any> {
  /** The endpoint's settings (without `type`); `role` may set other defaults (an HTTP writer POSTs, a reader GETs). */
  endpoint(role: RpoRole): ParamsSchema;
  open(endpoint: Endpoint, options: RpoStoreOptions): RpoStore;
  /** Whether two endpoints hold the same records (so the records are discarded once). Default: never. */
  sameStore?(a: Endpoint, b: Endpoint): boolean;
}

export interface RpoStoreOptions {
  /** A write not acknowledged within this is not acknowledged; a read not answered within this is unknown. */
  timeoutMs: number;
  /** How many calls may be in flight at once (a pool's size). */
  concurrency: number;
}

export interface RpoStore {
  /**
   * Called on the writer before the first write (a SQL table is created). Throws a ChaosError when the store cannot
   * take writes: the run stops before anything is injected rather than report an RPO it never measured.
   */
  prepare?(): Promise<void>;
  /** true: acknowledged; null: not acknowledged (an error, a timeout, a refusal). Never throws. */
  write(id: number, sentAt: number): Promise<boolean | null>;
  /** true: present; false: definitely missing; null: could not tell (it is asked again once). Never throws. */
  read(id: number): Promise<boolean | null>;
  /** Removes the run's records after the read-back (or a run that never read back). Best effort, never throws. */
  discard?(): Promise<void>;
  close(): Promise<void>;
}

// TODO(issue 17 item 3): Config, Session and the capabilities' endpoint types become inferred from their schemas.
export interface ChaosPlugin<Config = any, Session = any> {
  /** e.g. `process`; also the `type` of its targets. */
  name: string;
  description: string;
  /** The target's settings (without `type`, `environment`). Absent for plugins without targets (http, tcp, command). */
  config?: ParamsSchema;
  /** Names of the attributes a connected target publishes, so `${targets.X.attr}` can be checked before connecting. */
  attributes?: readonly string[];
  /**
   * A stable identity of the real thing a target points at, for locks and for refusing to run while the ledger
   * holds unrecovered faults against it. Default: the plugin name and the canonical JSON of the config.
   */
  targetKey?(config: Config): string;
  connect?(config: Config, ctx: PluginContext): Promise<Connection<Session>>;
  faults?: FaultType<Session, any, any>[];
  probes?: ProbeType<Session, any>[];
  actions?: ActionType<Session, any>[];
  resources?: ResourceType[];
  /** Optional capability: its connected targets answer PromQL. */
  metricsSource?(session: Session): MetricsSource;
  /** Optional capability: an RPO writer and reader of `type: <plugin name>`. */
  rpoStore?: RpoStoreType;
}

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

/** One Kubernetes API permission a target needs. */
export interface ApiPermission {
  verb: string;
  /** '' for the core group. */
  group: string;
  resource: string;
  subresource?: string;
  /** Null: cluster-scoped (nodes). */
  namespace: string | null;
}

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
  /**
   * Its faults and resources act on processes of the runner's own host (PIDs, signals): only a recover on that
   * host can revert them. A recover elsewhere (a shared state directory, the API server) leaves them for it rather
   * than find no such PID on its own host and call the fault reverted.
   */
  hostLocal?: boolean;
  /**
   * The Kubernetes API permissions a target needs for the fault, probe and action types used with it (plugins that
   * talk to no API server have none): what `chaos schedule --emit cronjob` grants its service account.
   */
  apiPermissions?(config: Config, uses: readonly string[]): ApiPermission[];
  faults?: FaultType<Session, any, any>[];
  probes?: ProbeType<Session, any>[];
  actions?: ActionType<Session, any>[];
  resources?: ResourceType[];
}

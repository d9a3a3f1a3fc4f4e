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

/**
 * What the registry knows of a fault type before its plugin's implementation is loaded: enough to validate an
 * experiment, build the JSON Schema and list the type. A plugin declares it in its light part (see PluginManifest).
 */
export interface FaultSpec<Schema extends ParamsSchema = ParamsSchema> {
  /** Full name, e.g. `process.pause`. */
  type: string;
  description: string;
  params: Schema;
}

/** A probe or an action type, as the registry knows it before its plugin's implementation is loaded. */
export interface ProbeSpec<Schema extends ParamsSchema = ParamsSchema> extends FaultSpec<Schema> {
  /** Whether it names a `target:` (of this plugin's target type). */
  needsTarget: boolean;
}

export type ActionSpec<Schema extends ParamsSchema = ParamsSchema> = ProbeSpec<Schema>;

/** The parameters of a type as its implementation receives them: the output of its spec's schema. */
export type ParamsOf<Spec extends { params: ParamsSchema }> = z.output<Spec['params']>;

/**
 * A plugin's kind of target, as the registry knows it before the plugin's implementation is loaded: its settings
 * and what is known of a target from its settings alone. A plugin spreads it into its manifest (see defineTarget).
 */
export interface TargetSpec<Schema extends ParamsSchema = ParamsSchema> {
  /** The target's settings (without `type`, `environment`). */
  config: Schema;
  /** Names of the attributes a connected target publishes, so `${targets.X.attr}` can be checked before connecting. */
  attributes?: readonly string[];
  /**
   * A stable identity of the real thing a target points at, for locks and for refusing to run while the ledger
   * holds unrecovered faults against it. Default: the plugin name and the canonical JSON of the config.
   */
  targetKey?(config: z.output<Schema>): string;
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
  apiPermissions?(config: z.output<Schema>, uses: readonly string[]): ApiPermission[];
}

/** A target's settings as `connect` and `targetKey` receive them: the output of its spec's schema. */
export type ConfigOf<Spec extends TargetSpec> = z.output<Spec['config']>;

/** The schema of a target's settings, whose output is `Config`. */
export type ConfigSchema<Config> = ParamsSchema & z.ZodType<Config>;

/** A kind of resource a plugin records in the ledger, known by name before its plugin's implementation is loaded. */
export interface ResourceSpec {
  type: string;
}

/**
 * A fault type. `FaultType<Session>`, with the parameters and the state left at `unknown` and `JsonObject`, is the
 * erased form lists and the registry hold: the engine passes a fault only parameters parsed by that fault's own
 * `params` and a session from its own plugin's `connect`, which `defineFault` ties together when it is declared.
 */
export interface FaultType<Session = unknown, Params = unknown, State extends JsonObject = JsonObject> extends FaultSpec {
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

/** A probe type; `ProbeType<Session>` is the erased form (see FaultType). */
export interface ProbeType<Session = unknown, Params = unknown> extends ProbeSpec {
  /** Runs the probe. Throwing is a failed probe with the error as its message. */
  run(session: Session | undefined, params: Params, ctx: ActivityContext): Promise<ProbeOutcome>;
}

/** An action type; `ActionType<Session>` is the erased form (see FaultType). */
export interface ActionType<Session = unknown, Params = unknown> extends ProbeSpec {
  /** Runs the action and returns its output; throws when the action failed. */
  run(session: Session | undefined, params: Params, ctx: ActivityContext): Promise<Json>;
}

/** A kind of resource a plugin records in the ledger (see ResourceTracker). */
export interface ResourceType extends ResourceSpec {
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

/** What the registry knows of a plugin's RPO store before the plugin is loaded: its endpoint's settings. */
export interface RpoStoreSpec<Schema extends ParamsSchema = ParamsSchema> {
  /** The endpoint's settings (without `type`); `role` may set other defaults (an HTTP writer POSTs, a reader GETs). */
  endpoint(role: RpoRole): Schema;
}

/** An RPO endpoint as its store receives it: the output of its spec's schema. */
export type EndpointOf<Spec extends RpoStoreSpec> = z.output<ReturnType<Spec['endpoint']>>;

/**
 * Capability: a place the RPO objective (objectives.rpo) writes its records to and reads them back from, written
 * `{ type: <plugin name>, ... }` as `writer` or `reader`. Each record has a run-unique id; what the plugin reports
 * decides what counts as acknowledged, present or lost, so it must never guess. `RpoStoreType` with the endpoint
 * left at `unknown` is the erased form (see FaultType): the engine opens a store only on an endpoint its own
 * `endpoint` schema parsed, which `defineRpoStore` ties together.
 */
export interface RpoStoreType<Endpoint = unknown> extends RpoStoreSpec {
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

/**
 * A plugin in one piece: its metadata and its implementation. Built-in plugins are split in two instead (see
 * PluginManifest) so that their implementations load only when a run needs them; a small plugin without heavy
 * dependencies, like those in the tests, can be written whole.
 */
export interface ChaosPlugin<Config = unknown, Session = unknown> {
  /** e.g. `process`; also the `type` of its targets. */
  name: string;
  description: string;
  /**
   * The target's settings (see TargetSpec, which a plugin with targets spreads here). Absent for plugins without
   * targets (http, tcp, command). Its output is the `Config` that `targetKey`, `apiPermissions` and `connect` take.
   */
  config?: ConfigSchema<Config>;
  attributes?: TargetSpec['attributes'];
  targetKey?(config: Config): string;
  connect?(config: Config, ctx: PluginContext): Promise<Connection<Session>>;
  hostLocal?: TargetSpec['hostLocal'];
  apiPermissions?(config: Config, uses: readonly string[]): ApiPermission[];
  faults?: readonly FaultType<Session>[];
  probes?: readonly ProbeType<Session>[];
  actions?: readonly ActionType<Session>[];
  resources?: readonly ResourceType[];
  /** Optional capability: its connected targets answer PromQL. */
  metricsSource?(session: Session): MetricsSource;
  /** Optional capability: an RPO writer and reader of `type: <plugin name>`. */
  rpoStore?: RpoStoreType;
}

type MetadataKey = 'name' | 'description' | 'config' | 'attributes' | 'targetKey' | 'hostLocal' | 'apiPermissions';

/**
 * What is known of a plugin without its implementation: its name, its target's settings and identity, and which
 * capabilities it has (a plugin written whole has them whole; a manifest declares them: see PluginManifest).
 */
export interface PluginMetadata<Config = unknown> extends Pick<ChaosPlugin<Config>, MetadataKey> {
  metricsSource?: true | ((session: never) => MetricsSource);
  rpoStore?: RpoStoreSpec;
}

/**
 * What a plugin's implementation adds to its manifest: connecting, the working fault, probe and action types, and
 * its capabilities.
 */
export type PluginImplementation<Config = unknown, Session = unknown> = Omit<ChaosPlugin<Config, Session>, MetadataKey>;

/**
 * The light part of a plugin, which the registry holds from the start: its metadata and the specs of its types
 * (names, descriptions, parameter schemas), which is all that validate, schema, list and plan's checks read. It
 * imports nothing heavy; `load` imports the implementation (and its dependencies: a Kubernetes client, pg) when
 * a run, a plan or a recover first needs it. The implementation must provide exactly the types the manifest
 * declares (the registry checks when it loads), each spread from its spec, so it parses with the declared schema.
 */
export interface PluginManifest<Config = unknown, Session = unknown> extends Omit<PluginMetadata<Config>, 'metricsSource'> {
  faults?: readonly FaultSpec[];
  probes?: readonly ProbeSpec[];
  actions?: readonly ActionSpec[];
  resources?: readonly ResourceSpec[];
  /** Declares the metricsSource capability, so validate accepts PromQL objectives on the plugin's targets. */
  metricsSource?: true;
  /** Declares the rpoStore capability with its endpoint's settings; the implementation's rpoStore opens stores. */
  rpoStore?: RpoStoreSpec;
  load(): Promise<PluginImplementation<Config, Session>>;
}

/**
 * A fault type, with the type of its parameters inferred from its schema: `params` in `plan` and `inject` is
 * `z.output` of the `params` given (usually spread from the FaultSpec in the plugin's manifest). The session type
 * is the one the methods annotate; the state is the one `inject` records (`ctx: InjectContext<State>`).
 */
export function defineFault<Schema extends ParamsSchema, Session, State extends JsonObject>(
  definition: FaultSpec<Schema> & {
    plan?(session: Session, params: z.output<Schema>, ctx: ActivityContext): Promise<PlannedChange[]>;
    inject(session: Session, params: z.output<Schema>, ctx: InjectContext<State>): Promise<State>;
    revert(session: Session, state: State, ctx: ActivityContext): Promise<void>;
  },
): FaultType<Session, z.output<Schema>, State> {
  return definition;
}

/** A probe type, with the type of its parameters inferred from its schema (see defineFault). */
export function defineProbe<Schema extends ParamsSchema, Session = unknown>(
  definition: ProbeSpec<Schema> & { run(session: Session | undefined, params: z.output<Schema>, ctx: ActivityContext): Promise<ProbeOutcome> },
): ProbeType<Session, z.output<Schema>> {
  return definition;
}

/** An action type, with the type of its parameters inferred from its schema (see defineFault). */
export function defineAction<Schema extends ParamsSchema, Session = unknown>(
  definition: ActionSpec<Schema> & { run(session: Session | undefined, params: z.output<Schema>, ctx: ActivityContext): Promise<Json> },
): ActionType<Session, z.output<Schema>> {
  return definition;
}

/**
 * A plugin's kind of target, with the type of its settings inferred from its schema: `config` in `targetKey` and
 * `apiPermissions` is `z.output` of the `config` given. The manifest spreads it, and the manifest and the
 * implementation take `ConfigOf<typeof target>` as their `Config`, so `connect` receives the same type.
 */
export function defineTarget<Schema extends ParamsSchema>(definition: TargetSpec<Schema>): TargetSpec<Schema> {
  return definition;
}

/** An RPO store, with the type of its endpoint inferred from its spec's schema (see defineFault). */
export function defineRpoStore<Schema extends ParamsSchema>(
  definition: RpoStoreSpec<Schema> & {
    open(endpoint: z.output<Schema>, options: RpoStoreOptions): RpoStore;
    sameStore?(a: z.output<Schema>, b: z.output<Schema>): boolean;
  },
): RpoStoreType<z.output<Schema>> {
  return definition;
}

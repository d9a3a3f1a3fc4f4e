/**
 * The ResolvedExperiment: what a loaded, valid experiment file becomes. Every default is applied, every duration
 * is in milliseconds, env/vars/secrets references are substituted. `${targets.X.attr}` references stay in string
 * parameters until the targets are connected (their attributes are known only then); `rawParams` keeps them.
 */
import type { JsonObject } from '../json.js';
import type { LoadConfig } from './load-schema.js';
import type { PromqlReducer, RpoEndpoint, WindowName } from './objectives-schema.js';

/** A position in the experiment file, for messages about a step found at run time. */
export interface SourceLocation {
  line: number;
  column: number;
}

export interface ResolvedTarget {
  name: string;
  /** The plugin name. */
  type: string;
  /** e.g. `production`; a production target needs confirmation and a guardrail. */
  environment: string | null;
  /** The plugin config after parsing (defaults applied). */
  config: unknown;
  /** The config as written, after env/vars/secrets substitution. */
  rawConfig: JsonObject;
  /**
   * The config as written with env and vars substituted but `${secrets.NAME}` left in place: what the ledger stores,
   * so `chaos recover` can reconnect without a secret ever reaching the disk.
   */
  configTemplate: JsonObject;
}

export type SecretSource = { env: string } | { file: string };

interface StepBase {
  /** Unique within the experiment: given by `name:` or generated (`process.pause app`, `pause 5s`). */
  name: string;
  /** Where the step is in the file. */
  location: SourceLocation;
  /** Activity timeout in ms (default depends on the kind of step). */
  timeoutMs: number;
  /** Runs alongside the following steps. */
  background: boolean;
  /** A failure of this step is recorded but does not stop the method or fail the run. */
  continueOnFailure: boolean;
}

export interface PauseStep extends StepBase {
  kind: 'pause';
  durationMs: number;
}

interface TypedStepBase extends StepBase {
  /** Full type name, e.g. `process.pause`. */
  type: string;
  /** Target name, or null for target-less probes and actions. */
  target: string | null;
  /** Parsed parameters (defaults applied, durations in ms), without `type` and `target`. */
  params: unknown;
  /** The parameters as written (after env/vars/secrets substitution); re-parsed once `${targets.*}` are known. */
  rawParams: JsonObject;
  /** True when rawParams contains `${targets.…}` references. */
  needsTargetAttributes: boolean;
}

export interface FaultStep extends TypedStepBase {
  kind: 'fault';
  target: string;
  /** Reverted when this ends; null: active until the method ends. */
  durationMs: number | null;
}

export interface ActionStep extends TypedStepBase {
  kind: 'action';
}

export interface ProbeStep extends TypedStepBase {
  kind: 'probe';
}

export type MethodStep = PauseStep | FaultStep | ActionStep | ProbeStep;

export interface RunbookStep {
  id: string;
  say: string;
  expected: string | null;
  check: ProbeStep | null;
  /** Done by a person: nothing in the run observes it. */
  manual: boolean;
}

export interface Runbook {
  name: string;
  steps: RunbookStep[];
}

export interface Safety {
  maxDurationMs: number;
  blastRadius: { maxPods: number | null; maxPercent: number | null } | null;
  allowNamespaces: string[];
  /** Revert what a dead (or finished) run left on this run's targets before starting, instead of refusing. */
  autoRecover: boolean;
  /** Guardrails, checked continuously during the method. */
  abortWhen: Guardrail[];
}

/** One `safety.abortWhen` entry. Fractions are in [0, 1], durations in ms. */
export type Guardrail = GuardrailBase &
  (
    | { kind: 'errorRate'; above: number }
    | { kind: 'availability'; below: number }
    | { kind: 'latency'; p: number; aboveMs: number }
    | { kind: 'probe'; probe: ProbeStep; intervalMs: number; failures: number }
    | { kind: 'promql'; target: string; query: string; op: 'above' | 'below'; limit: number; intervalMs: number }
  );

interface GuardrailBase {
  /** e.g. "errorRate above 50% over 5s for 10s": how the journal and the console name it. */
  description: string;
  forMs: number;
  overMs: number;
  minRequests: number;
  failStatus: number;
}

/** `load:`; `${targets.…}` in its strings are substituted when the load starts. */
export type LoadSpec = LoadConfig;

export type Slo = {
  name: string;
  window: WindowName;
  failStatus: number;
} & (
  | { kind: 'availability'; atLeast: number }
  | { kind: 'errorRate'; below: number }
  | { kind: 'latency'; p: number; belowMs: number }
  | { kind: 'throughput'; atLeast: number }
  /** A value from a Prometheus range query over the window, reduced to one number (src/measure/promql.ts). */
  | { kind: 'promql'; target: string; query: string; op: 'below' | 'atLeast'; limit: number; reduce: PromqlReducer; stepMs: number }
);

export interface RtoObjective {
  maxMs: number;
  probe: ProbeStep;
  intervalMs: number;
  recoveredAfter: number;
  /** The fault step t0 is taken from; null: the first fault injected. */
  from: string | null;
  timeoutMs: number;
}

export interface RpoObjective {
  maxMs: number;
  writer: RpoEndpoint;
  reader: RpoEndpoint;
  intervalMs: number;
  timeoutMs: number;
}

export interface Objectives {
  rto: RtoObjective | null;
  rpo: RpoObjective | null;
  slo: Slo[];
}

export interface ResolvedExperiment {
  version: 1;
  name: string;
  title: string;
  description: string | null;
  tags: string[];
  runbook: Runbook | null;
  targets: Record<string, ResolvedTarget>;
  /** Where each secret comes from; values are never stored here (see LoadedExperiment.secretValues). */
  secrets: Record<string, SecretSource>;
  vars: Record<string, string>;
  safety: Safety;
  steadyState: ProbeStep[];
  method: MethodStep[];
  rollbacks: ActionStep[];
  /** Load started before the first fault and stopped after the method; null: no load. */
  load: LoadSpec | null;
  objectives: Objectives;
}

export interface ExperimentSource {
  /** As given on the command line (used in messages). */
  path: string;
  /** SHA-256 of the file's bytes, hex. */
  sha256: string;
}

/** The result of loading a file: the experiment, where it came from, and the secret values to redact. */
export interface LoadedExperiment {
  experiment: ResolvedExperiment;
  source: ExperimentSource;
  /** Values that must never be written anywhere; see redact(). */
  secretValues: readonly string[];
}

/**
 * The programmatic API. The `chaos` CLI is a thin layer over these functions.
 *
 * ```ts
 * import { createRegistry, loadExperiment, runExperiment } from 'chaosdrill';
 * const registry = createRegistry();
 * const loaded = await loadExperiment('experiments/process-pause.yaml', { registry, env: process.env });
 * const result = await runExperiment(loaded, { registry, stateDir: '.chaos', runDir: 'reports/run', invocation });
 * ```
 */
export { ChaosError, ExitCode, InvalidInputError, exitCodeMeaning, formatDiagnostic, type Diagnostic } from './errors.js';
export type { Json, JsonObject } from './json.js';
/** Loads, validates and resolves an experiment file; throws InvalidInputError with every problem at once. */
export { loadExperiment, loadExperimentText, type LoadOptions } from './experiment/load.js';
export { buildExperimentSchema, experimentJsonSchema } from './experiment/schema.js';
export type * from './experiment/types.js';
/** Shows what a run would inject, where, for how long; connects targets with purpose `plan` and changes nothing. */
export { planExperiment, type ExperimentPlan, type PlannedStep, type PlannedTarget } from './engine/plan.js';
/** Runs an experiment through the whole lifecycle; every fault is reverted whatever happens. */
export { runExperiment, type Invocation, type RunOptions, type RunResult } from './engine/run.js';
/** Reverts faults left behind by runs whose process is gone. */
export { recover, type RecoverOptions, type RecoverReport } from './engine/recover.js';
export { watchAndRecover, type WatchOptions } from './engine/recover-watch.js';
export type { Holder, LivenessTiming, StateBackend } from './state/backend.js';
export { FileStateBackend } from './state/file-backend.js';
export { KubernetesStateBackend, type KubernetesBackendOptions } from './state/kubernetes-backend.js';
export { openStateBackend, parseStateSpec, type StateSpec } from './state/state-spec.js';
export { verifyJournal, readJournal } from './state/journal.js';
export type { RunEvents, RunSubscriber, ActivityRecord, RunStatus } from './engine/events.js';
export type { ObjectiveResult } from './measure/objective-result.js';
export { builtinPlugins, createRegistry, type LoadedPlugins, type PluginEntry, type Registry } from './plugins/registry.js';
/** Declaring a plugin's types, each with its parameter type inferred from its zod schema. */
export { defineAction, defineFault, defineProbe } from './plugins/api.js';
export type * from './plugins/api.js';

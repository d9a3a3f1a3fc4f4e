/**
 * `chaos plan`: resolve the file and the targets, and say what would be injected, where, for how long. Targets are
 * connected with purpose `plan`, which must not start or change anything.
 */
import type { LoadedExperiment, MethodStep } from '../experiment/types.js';
import type { Logger, PlannedChange, TargetAttributes } from '../plugins/api.js';
import type { Registry } from '../plugins/registry.js';
import { closeTargets, connectTargets, targetKey } from './targets.js';
import { pluginsUsedBy } from './plugins-used.js';
import { activityContext, resolveParams } from './steps.js';
import { messageOf } from '../errors.js';

export interface PlannedTarget {
  name: string;
  type: string;
  key: string;
  environment: string | null;
  attributes: TargetAttributes;
}

export interface PlannedStep {
  name: string;
  kind: MethodStep['kind'];
  type: string | null;
  target: string | null;
  /** How long the fault stays (null: until the method ends) or the pause lasts. */
  durationMs: number | null;
  background: boolean;
  changes: PlannedChange[];
  /** Set when the plugin could not say what would change. */
  error: string | null;
}

export interface ExperimentPlan {
  experiment: string;
  title: string;
  maxDurationMs: number;
  targets: PlannedTarget[];
  steadyState: string[];
  method: PlannedStep[];
  rollbacks: string[];
}

const quietLogger: Logger = { debug() {}, info() {}, warn() {} };

export async function planExperiment(
  loaded: LoadedExperiment,
  options: { registry: Registry; workDir: string; logger?: Logger; signal?: AbortSignal },
): Promise<ExperimentPlan> {
  const { experiment } = loaded;
  const logger = options.logger ?? quietLogger;
  const signal = options.signal ?? new AbortController().signal;
  const plugins = await options.registry.load(pluginsUsedBy(experiment, options.registry));
  const targets = await connectTargets(plugins, experiment, {
    purpose: 'plan',
    workDir: options.workDir,
    logger,
    signal,
    resources: () => ({
      // Connecting for a plan starts nothing, so there is nothing to record.
      intend: async () => ({ id: 'plan' }),
      acquired: async () => undefined,
      released: async () => undefined,
    }),
  });
  try {
    const ctx = { runId: 'plan', logger };
    const method: PlannedStep[] = [];
    for (const step of experiment.method) {
      const planned: PlannedStep = {
        name: step.name,
        kind: step.kind,
        type: step.kind === 'pause' ? null : step.type,
        target: step.kind === 'pause' ? null : step.target,
        durationMs: step.kind === 'pause' ? step.durationMs : step.kind === 'fault' ? step.durationMs : null,
        background: step.background,
        changes: [],
        error: null,
      };
      if (step.kind === 'fault') {
        const def = plugins.faults.get(step.type)?.def;
        try {
          const params = def ? resolveParams(targets, step, def.params) : step.params;
          const session = targets.get(step.target)?.connection.session;
          planned.changes = def?.plan
            ? await def.plan(session, params, activityContext(ctx, signal, step.target))
            : [{ action: `inject ${step.type}`, target: step.target, details: step.rawParams }];
        } catch (error) {
          planned.error = messageOf(error);
        }
      }
      method.push(planned);
    }
    return {
      experiment: experiment.name,
      title: experiment.title,
      maxDurationMs: experiment.safety.maxDurationMs,
      targets: Object.values(experiment.targets).map((t) => ({
        name: t.name,
        type: t.type,
        key: targetKey(options.registry, t),
        environment: t.environment,
        attributes: targets.get(t.name)?.connection.attributes ?? {},
      })),
      steadyState: experiment.steadyState.map((s) => s.name),
      method,
      rollbacks: experiment.rollbacks.map((s) => s.name),
    };
  } finally {
    await closeTargets(targets, logger);
  }
}

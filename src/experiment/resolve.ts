/**
 * From a valid document to the ResolvedExperiment: every default applied, durations in ms, names generated, each
 * step located in the file. Runs only after validation found no problem, so parsing here cannot fail except for
 * specs whose `${targets.…}` references are substituted at run time (their params are re-parsed then).
 */
import type { JsonObject } from '../json.js';
import type { LoadSpec } from './types.js';
import { resolveGuardrails, resolveObjectives } from './resolve-objectives.js';
import type { Registry } from '../plugins/registry.js';
import type { ResolvedExperiment, ResolvedTarget, RunbookStep, SecretSource } from './types.js';
import type { ExperimentSchemaParts } from './schema.js';
import { isPlainObject } from './document-path.js';
import { list, StepResolver } from './resolve-steps.js';
import type { YamlSource } from './yaml-source.js';

export interface ResolveInput {
  parts: ExperimentSchemaParts;
  registry: Registry;
  /** The document after substitution; valid. */
  tree: Record<string, unknown>;
  /** Each target as written, env and vars substituted, secrets references kept. */
  targetTemplates: Record<string, JsonObject>;
  /** The vars in effect (file defaults overridden by --var), as strings. */
  vars: Record<string, string>;
  source: YamlSource;
}

/**
 * The header (everything but the steps), parsed: defaults applied, durations in ms. A type, not an interface: the
 * schema's output is cast to it.
 */
type Header = {
  name: string;
  title?: string;
  description?: string;
  tags: string[];
  targets: Record<string, Record<string, unknown>>;
  secrets: Record<string, SecretSource>;
  safety: {
    maxDuration: number;
    blastRadius?: { maxPods?: number; maxPercent?: number };
    allowNamespaces: string[];
    autoRecover: boolean;
    abortWhen: Parameters<typeof resolveGuardrails>[0];
  };
  load?: LoadSpec;
  objectives: Parameters<typeof resolveObjectives>[0];
};

export function resolveExperiment(input: ResolveInput): ResolvedExperiment {
  const { parts, tree, source } = input;
  const { runbook: _runbook, steadyState: _s, method: _m, rollbacks: _r, ...headerInput } = tree;
  const header = parts.header.parse(headerInput) as Header;
  const steps = new StepResolver(parts, tree, source);

  // In document order: generated step names are made unique in the order the steps are met.
  const steadyState = list(tree.steadyState).map((_, i) => steps.probeAt(['steadyState', i], 'steadyState'));
  const method = list(tree.method).map((_, i) => steps.methodStepAt(['method', i]));
  const rollbacks = list(tree.rollbacks).map((_, i) => steps.actionAt(['rollbacks', i], 'rollback'));
  const runbook = resolveRunbook(tree.runbook, steps);
  const blastRadius = header.safety.blastRadius;
  return {
    version: 1,
    name: header.name,
    title: header.title ?? header.name,
    description: header.description ?? null,
    tags: header.tags,
    runbook,
    targets: resolveTargets(header.targets, tree.targets as Record<string, JsonObject>, input.targetTemplates),
    secrets: header.secrets,
    vars: input.vars,
    safety: {
      maxDurationMs: header.safety.maxDuration,
      blastRadius: blastRadius ? { maxPods: blastRadius.maxPods ?? null, maxPercent: blastRadius.maxPercent ?? null } : null,
      allowNamespaces: header.safety.allowNamespaces,
      autoRecover: header.safety.autoRecover,
      abortWhen: resolveGuardrails(header.safety.abortWhen, steps.objectiveProbeAt),
    },
    steadyState,
    method,
    rollbacks,
    load: header.load ?? null,
    objectives: resolveObjectives(header.objectives, steps.objectiveProbeAt),
  };
}

function resolveRunbook(written: unknown, steps: StepResolver): ResolvedExperiment['runbook'] {
  if (!isPlainObject(written)) return null;
  return {
    name: String(written.name),
    steps: list(written.steps).map((raw, i): RunbookStep => {
      const step = isPlainObject(raw) ? raw : {};
      return {
        id: String(step.id),
        say: String(step.say),
        expected: typeof step.expected === 'string' ? step.expected : null,
        check: isPlainObject(step.check) ? steps.probeAt(['runbook', 'steps', i, 'check'], 'probe') : null,
        manual: step.manual === true,
      };
    }),
  };
}

/** Each target: its parsed config, the config as written (for messages), and its template (secrets as references). */
function resolveTargets(
  parsedTargets: Header['targets'],
  writtenTargets: Record<string, JsonObject>,
  templates: Record<string, JsonObject>,
): Record<string, ResolvedTarget> {
  const targets: Record<string, ResolvedTarget> = {};
  for (const [name, parsed] of Object.entries(parsedTargets)) {
    const { type, environment, ...config } = parsed;
    const { type: _t, environment: _e, ...rawConfig } = writtenTargets[name];
    const template: JsonObject = templates[name] ?? {};
    const { type: _t2, environment: _e2, ...configTemplate } = template;
    targets[name] = {
      name,
      type: String(type),
      environment: typeof environment === 'string' ? environment : null,
      config,
      rawConfig,
      configTemplate,
    };
  }
  return targets;
}

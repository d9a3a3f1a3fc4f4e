/**
 * From a valid document to the ResolvedExperiment: every default applied, durations in ms, names generated, each
 * step located in the file. Runs only after validation found no problem, so parsing here cannot fail except for
 * specs whose `${targets.…}` references are substituted at run time (their params are re-parsed then).
 */
import { StepNames } from './step-names.js';
import type { JsonObject } from '../json.js';
import type { LoadSpec } from './types.js';
import { resolveGuardrails, resolveObjectives } from './resolve-objectives.js';
import type { Registry } from '../plugins/registry.js';
import type {
  ActionStep,
  FaultStep,
  MethodStep,
  PauseStep,
  ProbeStep,
  ResolvedExperiment,
  ResolvedTarget,
  RunbookStep,
  SecretSource,
} from './types.js';
import { durationSchema } from '../units/duration.js';
import type { ExperimentSchemaParts } from './schema.js';
import { hasTargetReferences } from './substitute.js';
import { isPlainObject, valueAt } from './document-path.js';
import { locate, type PathSegment, type YamlSource } from './yaml-source.js';

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

type Fields = { name?: string; timeout?: number; background?: boolean; continueOnFailure?: boolean; duration?: number };

export function resolveExperiment(input: ResolveInput): ResolvedExperiment {
  const { parts, tree, source } = input;
  const { runbook: _runbook, steadyState: _s, method: _m, rollbacks: _r, ...headerInput } = tree;
  const header = parts.header.parse(headerInput) as {
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

  const names = new StepNames(tree);

  const typedStep = <K extends 'fault' | 'probe' | 'action'>(kind: K, path: PathSegment[], fields: Fields) => {
    const spec = valueAt(tree, [...path, kind]) as Record<string, unknown>;
    const { type: _type, target: _target, ...rawParams } = spec;
    const parsed = parts.specs[kind].safeParse(spec);
    let params: unknown = rawParams;
    if (parsed.success) {
      const { type: _t, target: _g, ...rest } = parsed.data as Record<string, unknown>;
      params = rest;
    }
    const type = String(spec.type);
    const target = typeof spec.target === 'string' ? spec.target : null;
    return {
      name: names.take(fields.name, target === null ? type : `${type} ${target}`),
      location: locate(source, path),
      timeoutMs: fields.timeout as number,
      background: fields.background ?? false,
      continueOnFailure: fields.continueOnFailure ?? false,
      type,
      target,
      params,
      rawParams: rawParams as JsonObject,
      needsTargetAttributes: hasTargetReferences(rawParams),
    };
  };

  const stepAt = (path: PathSegment[], fieldsSchema: keyof ExperimentSchemaParts['stepFields'], kind: 'fault' | 'probe' | 'action' | 'pause') => {
    const { [kind]: _spec, ...rawFields } = valueAt(tree, path) as Record<string, unknown>;
    return parts.stepFields[fieldsSchema].parse(rawFields) as Fields;
  };

  const probeAt = (path: PathSegment[], fieldsSchema: 'probe' | 'steadyState'): ProbeStep => ({
    kind: 'probe',
    ...typedStep('probe', path, stepAt(path, fieldsSchema, 'probe')),
  });
  const actionAt = (path: PathSegment[], fieldsSchema: 'action' | 'rollback'): ActionStep => ({
    kind: 'action',
    ...typedStep('action', path, stepAt(path, fieldsSchema, 'action')),
  });

  const steadyState = list(tree.steadyState).map((_, i) => probeAt(['steadyState', i], 'steadyState'));

  const method = list(tree.method).map((step, i): MethodStep => {
    const path: PathSegment[] = ['method', i];
    const raw = step as Record<string, unknown>;
    if ('pause' in raw) {
      const fields = stepAt(path, 'pause', 'pause');
      const durationMs = durationSchema.parse(raw.pause);
      const pause: PauseStep = {
        kind: 'pause',
        name: names.take(fields.name, `pause ${String(raw.pause)}`),
        location: locate(source, path),
        timeoutMs: durationMs,
        background: false,
        continueOnFailure: false,
        durationMs,
      };
      return pause;
    }
    if ('fault' in raw) {
      const fields = stepAt(path, 'fault', 'fault');
      const fault: FaultStep = {
        kind: 'fault',
        ...typedStep('fault', path, fields),
        target: String((raw.fault as Record<string, unknown>).target),
        durationMs: fields.duration ?? null,
      };
      return fault;
    }
    if ('action' in raw) return actionAt(path, 'action');
    return probeAt(path, 'probe');
  });

  const rollbacks = list(tree.rollbacks).map((_, i) => actionAt(['rollbacks', i], 'rollback'));

  let runbook: ResolvedExperiment['runbook'] = null;
  if (isPlainObject(tree.runbook)) {
    const rb = tree.runbook;
    runbook = {
      name: String(rb.name),
      steps: list(rb.steps).map((raw, i): RunbookStep => {
        const step = raw as Record<string, unknown>;
        const checkPath: PathSegment[] = ['runbook', 'steps', i, 'check'];
        return {
          id: String(step.id),
          say: String(step.say),
          expect: typeof step.expect === 'string' ? step.expect : null,
          check: isPlainObject(step.check) ? probeAt(checkPath, 'probe') : null,
          manual: step.manual === true,
        };
      }),
    };
  }

  const targets: Record<string, ResolvedTarget> = {};
  for (const [name, parsed] of Object.entries(header.targets)) {
    const { type, environment, ...config } = parsed;
    const { type: _t, environment: _e, ...rawConfig } = (tree.targets as Record<string, JsonObject>)[name] as JsonObject;
    const { type: _t2, environment: _e2, ...configTemplate } = input.targetTemplates[name] ?? {};
    targets[name] = {
      name,
      type: String(type),
      environment: typeof environment === 'string' ? environment : null,
      config,
      rawConfig,
      configTemplate: configTemplate as JsonObject,
    };
  }

  // The RTO probe and probe guardrails are probes like any step: typed, located, re-parsed once targets are known.
  const objectiveProbeAt = (path: PathSegment[], name: string, timeoutMs: number): ProbeStep => ({
    kind: 'probe',
    ...typedStep('probe', path, { name, timeout: timeoutMs }),
  });
  const blastRadius = header.safety.blastRadius;
  return {
    version: 1,
    name: header.name,
    title: header.title ?? header.name,
    description: header.description ?? null,
    tags: header.tags,
    runbook,
    targets,
    secrets: header.secrets,
    vars: input.vars,
    safety: {
      maxDurationMs: header.safety.maxDuration,
      blastRadius: blastRadius ? { maxPods: blastRadius.maxPods ?? null, maxPercent: blastRadius.maxPercent ?? null } : null,
      allowNamespaces: header.safety.allowNamespaces,
      autoRecover: header.safety.autoRecover,
      abortWhen: resolveGuardrails(header.safety.abortWhen, objectiveProbeAt),
    },
    steadyState,
    method,
    rollbacks,
    load: header.load ?? null,
    objectives: resolveObjectives(header.objectives, objectiveProbeAt),
  };
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}


/**
 * Steps as the run sees them: typed (fault, probe, action, pause), named (generated names made unique), located
 * in the file, their parameters parsed. Specs with `${targets.…}` references keep their raw parameters; they are
 * re-parsed at run time, once the targets are connected.
 */
import type { JsonObject } from '../json.js';
import { durationSchema } from '../units/duration.js';
import { isPlainObject, objectAt } from './document-path.js';
import type { ExperimentSchemaParts } from './schema.js';
import { StepNames } from './step-names.js';
import { hasTargetReferences } from './substitute.js';
import type { ActionStep, FaultStep, MethodStep, PauseStep, ProbeStep } from './types.js';
import { locate, type PathSegment, type YamlSource } from './yaml-source.js';

type Fields = { name?: string; timeout?: number; background?: boolean; continueOnFailure?: boolean; duration?: number };
type TypedKind = 'fault' | 'probe' | 'action';

export class StepResolver {
  readonly #names: StepNames;

  readonly #parts: ExperimentSchemaParts;
  readonly #tree: Record<string, unknown>;
  readonly #source: YamlSource;

  constructor(
    parts: ExperimentSchemaParts,
    tree: Record<string, unknown>,
    source: YamlSource,
  ) {
    this.#parts = parts;
    this.#tree = tree;
    this.#source = source;
    this.#names = new StepNames(tree);
  }

  probeAt(path: PathSegment[], fieldsSchema: 'probe' | 'steadyState'): ProbeStep {
    return { kind: 'probe', ...this.#typedStep('probe', path, this.#fieldsAt(path, fieldsSchema, 'probe')) };
  }

  actionAt(path: PathSegment[], fieldsSchema: 'action' | 'rollback'): ActionStep {
    return { kind: 'action', ...this.#typedStep('action', path, this.#fieldsAt(path, fieldsSchema, 'action')) };
  }

  /** The RTO probe and probe guardrails are probes like any step: typed, located, re-parsed once targets are known. */
  readonly objectiveProbeAt = (path: PathSegment[], name: string, timeoutMs: number): ProbeStep => ({
    kind: 'probe',
    ...this.#typedStep('probe', path, { name, timeout: timeoutMs }),
  });

  methodStepAt(path: PathSegment[]): MethodStep {
    const raw = objectAt(this.#tree, path);
    if ('pause' in raw) return this.#pauseAt(path, raw.pause);
    if ('fault' in raw) return this.#faultAt(path, objectAt(raw, ['fault']));
    if ('action' in raw) return this.actionAt(path, 'action');
    return this.probeAt(path, 'probe');
  }

  #pauseAt(path: PathSegment[], written: unknown): PauseStep {
    const fields = this.#fieldsAt(path, 'pause', 'pause');
    const durationMs = durationSchema.parse(written);
    return {
      kind: 'pause',
      name: this.#names.take(fields.name, `pause ${String(written)}`),
      location: locate(this.#source, path),
      timeoutMs: durationMs,
      background: false,
      continueOnFailure: false,
      durationMs,
    };
  }

  #faultAt(path: PathSegment[], spec: Record<string, unknown>): FaultStep {
    const fields = this.#fieldsAt(path, 'fault', 'fault');
    return { kind: 'fault', ...this.#typedStep('fault', path, fields), target: String(spec.target), durationMs: fields.duration ?? null };
  }

  /** The step's own fields (name, timeout, background…), without its kind's spec. */
  #fieldsAt(path: PathSegment[], fieldsSchema: keyof ExperimentSchemaParts['stepFields'], kind: TypedKind | 'pause'): Fields {
    const { [kind]: _spec, ...rawFields } = objectAt(this.#tree, path);
    return this.#parts.stepFields[fieldsSchema].parse(rawFields);
  }

  #typedStep(kind: TypedKind, path: PathSegment[], fields: Fields) {
    const spec = objectAt(this.#tree, [...path, kind]);
    const { type: _type, target: _target, ...rawParams } = spec;
    const parsed = this.#parts.specs[kind].safeParse(spec);
    let params: unknown = rawParams;
    if (parsed.success && isPlainObject(parsed.data)) {
      const { type: _t, target: _g, ...rest } = parsed.data;
      params = rest;
    }
    const type = String(spec.type);
    const target = typeof spec.target === 'string' ? spec.target : null;
    return {
      name: this.#names.take(fields.name, target === null ? type : `${type} ${target}`),
      location: locate(this.#source, path),
      timeoutMs: fields.timeout as number,
      background: fields.background ?? false,
      continueOnFailure: fields.continueOnFailure ?? false,
      type,
      target,
      params,
      rawParams: rawParams as JsonObject,
      needsTargetAttributes: hasTargetReferences(rawParams),
    };
  }
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

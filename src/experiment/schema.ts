/**
 * The experiment format (version 1), described once, in zod, from the registry of plugins: each plugin contributes
 * its target type (its `config`) and its fault, probe and action types (their `params`). Validation, the
 * ResolvedExperiment and the JSON Schema in `schema/` all come from here.
 */
import { z } from 'zod';
import type { ParamsSchema, RpoRole } from '../plugins/api.js';
import type { Registry } from '../plugins/registry.js';
import { durationSchema } from '../units/duration.js';
import { percentSchema } from '../units/percent.js';
import { jsonValueSchema } from '../json.js';
import { toleranceSchema } from '../units/tolerance-schema.js';
import { jsonSchemaForEditors } from './json-schema-for-editors.js';
import { loadSchema } from './load-schema.js';
import { guardrailSchema, objectivesSchema } from './objectives-schema.js';

/** Experiment and target names: lowercase, digits, `.`, `_`, `-`. */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

/** The keys that say what kind a method step is; exactly one must be present. Order = the union's branch order. */
export const STEP_KINDS = ['pause', 'fault', 'action', 'probe'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** Where a secret's value comes from; exactly one key. Order = the union's branch order. */
export const SECRET_SOURCES = ['env', 'file'] as const;

/** The `target:` of a fault, probe or action: one schema, so the JSON Schema defines it once. */
const targetNameSchema = z.string().min(1).meta({ description: 'A target name from `targets:`' });

export const DEFAULT_FAULT_TIMEOUT = '60s';
export const DEFAULT_ACTION_TIMEOUT = '60s';
export const DEFAULT_PROBE_TIMEOUT = '30s';

type AnyObject = z.ZodObject<z.ZodRawShape>;

/** The pieces the format is made of; the loader validates with `document` and resolves piece by piece. */
export interface ExperimentSchemaParts {
  document: AnyObject;
  /** A spec (`{ type, target?, ...params }`) of each kind, as a union discriminated on `type`. */
  specs: { fault: z.ZodType; probe: z.ZodType; action: z.ZodType };
  /** A target (`{ type, environment?, ...config }`), as a union discriminated on `type`. */
  target: z.ZodType;
  /** A step's own keys (name, timeout, …) without its spec, for each place a step can appear. */
  stepFields: {
    pause: AnyObject;
    fault: AnyObject;
    action: AnyObject;
    probe: AnyObject;
    steadyState: AnyObject;
    rollback: AnyObject;
  };
  /** The document without runbook and steps: the experiment's header. */
  header: AnyObject;
  runbook: AnyObject;
}

/** The experiment schema: the one description of the format. */
export function buildExperimentSchema(registry: Registry): z.ZodType {
  return buildExperimentParts(registry).document;
}

/** The JSON Schema of experiment files (what editors use), generated from the zod schema. */
export function experimentJsonSchema(registry: Registry): object {
  const parts = buildExperimentParts(registry);
  return jsonSchemaForEditors(parts.document, {
    $id: 'https://chaosdrill.dev/schema/experiment.schema.json',
    title: 'chaosdrill experiment',
    definitions: new Map<z.ZodType, string>([
      [parts.specs.fault, 'fault'],
      [parts.specs.probe, 'probe'],
      [parts.specs.action, 'action'],
      [parts.target, 'target'],
      [targetNameSchema, 'targetName'],
      [durationSchema, 'duration'],
      [percentSchema, 'percent'],
      [toleranceSchema, 'tolerance'],
      [jsonValueSchema, 'json'],
    ]),
    // vars and secrets are the inputs of substitution, not subject to it.
    substitutedKeys: (key) => key !== 'vars' && key !== 'secrets',
  });
}

export function buildExperimentParts(registry: Registry): ExperimentSchemaParts {
  const stepName = z.string().min(1).meta({ description: 'Unique step name; generated when absent' });
  const timeout = (fallback: string) => durationSchema.prefault(fallback);
  const background = z.boolean().default(false);
  const continueOnFailure = z.boolean().default(false);

  const faultSpec = specUnion(
    [...registry.faults.values()].map(({ def }) => spec(def.type, def.description, def.params, true)),
  );
  const probeSpec = specUnion(
    [...registry.probes.values()].map(({ def }) => spec(def.type, def.description, def.params, def.needsTarget)),
  );
  const actionSpec = specUnion(
    [...registry.actions.values()].map(({ def }) => spec(def.type, def.description, def.params, def.needsTarget)),
  );

  const target = targetUnion(registry);

  const stepFields = {
    pause: z.strictObject({ name: stepName.optional() }),
    fault: z.strictObject({
      name: stepName.optional(),
      duration: durationSchema.optional().meta({ description: 'Reverted when this ends; absent: until the method ends' }),
      background,
      timeout: timeout(DEFAULT_FAULT_TIMEOUT),
      continueOnFailure,
    }),
    action: z.strictObject({ name: stepName.optional(), background, timeout: timeout(DEFAULT_ACTION_TIMEOUT), continueOnFailure }),
    probe: z.strictObject({ name: stepName.optional(), background, timeout: timeout(DEFAULT_PROBE_TIMEOUT), continueOnFailure }),
    steadyState: z.strictObject({ name: stepName.optional(), timeout: timeout(DEFAULT_PROBE_TIMEOUT) }),
    rollback: z.strictObject({ name: stepName.optional(), timeout: timeout(DEFAULT_ACTION_TIMEOUT) }),
  };

  // Branch order must match STEP_KINDS: diagnostics pick the branch by the marker key present.
  const methodStep = z.union([
    stepFields.pause.extend({ pause: durationSchema }),
    stepFields.fault.extend({ fault: faultSpec }),
    stepFields.action.extend({ action: actionSpec }),
    stepFields.probe.extend({ probe: probeSpec }),
  ]);

  const runbook = z.strictObject({
    name: z.string().min(1),
    steps: z
      .array(
        z.strictObject({
          id: z.string().min(1),
          say: z.string().min(1),
          expected: z.string().optional().meta({ description: 'What should be seen once the step is done, in words for the person who signs the report' }),
          check: z.strictObject({ probe: probeSpec }).optional(),
          manual: z
            .boolean()
            .optional()
            .meta({ description: 'Done by a person: no step of the run is named after it and it has no check; the report leaves it for a person to confirm' }),
        }),
      )
      .min(1),
  });

  const header = z.strictObject({
    version: z.literal(1).meta({ description: 'Format version; this chaosdrill reads version 1' }),
    name: z.string().regex(NAME_PATTERN, { error: 'expected lowercase letters, digits, ".", "_" or "-"' }),
    title: z.string().min(1).optional(),
    description: z.string().optional(),
    tags: z.array(z.string().min(1)).default([]),
    targets: z.record(z.string().regex(NAME_PATTERN), target).default({}),
    secrets: z
      .record(
        z.string().min(1),
        z.union([z.strictObject({ env: z.string().min(1) }), z.strictObject({ file: z.string().min(1) })]),
      )
      .default({}),
    vars: z.record(z.string().min(1), z.union([z.string(), z.number(), z.boolean()])).default({}),
    safety: z
      .strictObject({
        maxDuration: durationSchema.prefault('30m'),
        blastRadius: z
          .strictObject({ maxPods: z.int().min(0).optional(), maxPercent: percentSchema.optional() })
          .optional(),
        allowNamespaces: z.array(z.string().min(1)).default([]),
        autoRecover: z
          .boolean()
          .default(false)
          .describe('revert what a dead run left on this run\'s targets before starting, instead of refusing to start (exit 5)'),
        abortWhen: z.array(guardrailSchema(probeSpec)).default([]).meta({ description: 'Guardrails: stop conditions checked during the method' }),
      })
      .prefault({}),
    load: loadSchema.optional().meta({ description: 'Load started before the first fault and stopped after the method' }),
    objectives: objectivesSchema(probeSpec, { writer: rpoEndpointUnion(registry, 'writer'), reader: rpoEndpointUnion(registry, 'reader') }).prefault({}).meta({ description: 'SLOs, RTO and RPO the run must meet' }),
  });

  const document = header.extend({
    runbook: runbook.optional(),
    steadyState: z.array(stepFields.steadyState.extend({ probe: probeSpec })).default([]),
    method: z.array(methodStep).min(1),
    rollbacks: z.array(stepFields.rollback.extend({ action: actionSpec })).default([]),
  });

  return {
    document,
    specs: { fault: faultSpec, probe: probeSpec, action: actionSpec },
    target,
    stepFields,
    header,
    runbook,
  };
}

/**
 * `{ type, target?, ...params }`, strict. `safeExtend` keeps the plugin's own refinements (a params-level
 * superRefine still runs).
 */
function spec(type: string, description: string, params: ParamsSchema, needsTarget: boolean): AnyObject {
  const keys: z.ZodRawShape = needsTarget
    ? { type: z.literal(type), target: targetNameSchema }
    : { type: z.literal(type) };
  return (params.safeExtend(keys) as AnyObject).strict().meta({ description });
}

function specUnion(options: AnyObject[]): z.ZodType {
  if (options.length === 0) return z.never();
  return z.discriminatedUnion('type', options as [AnyObject, ...AnyObject[]]);
}

function targetUnion(registry: Registry): z.ZodType {
  const options: AnyObject[] = [];
  for (const plugin of registry.plugins.values()) {
    if (!plugin.config) continue;
    const keys: z.ZodRawShape = {
      type: z.literal(plugin.name),
      environment: z.string().min(1).optional().meta({ description: 'e.g. production: needs --yes and a guardrail' }),
    };
    options.push((plugin.config.safeExtend(keys) as AnyObject).strict().meta({ description: plugin.description }));
  }
  return specUnion(options);
}

/** The RPO writer or reader: `{ type: <plugin>, ... }` for every plugin with the `rpoStore` capability. */
function rpoEndpointUnion(registry: Registry, role: RpoRole): z.ZodType {
  const options: AnyObject[] = [];
  for (const plugin of registry.plugins.values()) {
    if (!plugin.rpoStore) continue;
    options.push((plugin.rpoStore.endpoint(role).safeExtend({ type: z.literal(plugin.name) }) as AnyObject).strict());
  }
  return specUnion(options);
}

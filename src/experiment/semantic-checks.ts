/**
 * Checks the schema cannot express: references between parts of the file (a step's target must exist and be of
 * the type its fault, probe or action belongs to) and unique step names. They run on the plain tree, tolerating
 * shapes the schema rejects, so the user sees these problems together with the schema's.
 */
import type { Diagnostic } from '../errors.js';
import { promqlTargetChecks } from './promql-checks.js';
import type { Registry } from '../plugins/registry.js';
import { STEP_KINDS } from './schema.js';
import { stepNamesOf } from './step-names.js';
import { didYouMean, listNames } from './suggest.js';
import { isPlainObject, valueAt } from './document-path.js';
import { formatPath, locate, type PathSegment, type YamlSource } from './yaml-source.js';

export type SpecKind = 'fault' | 'probe' | 'action';

/** A fault, probe or action spec somewhere in the document. */
export interface SpecSite {
  kind: SpecKind;
  /** Path of the spec object (e.g. ['method', 2, 'fault']). */
  path: PathSegment[];
  spec: Record<string, unknown>;
}

/** Every step-like entry with a name: steadyState, method and rollbacks, in that order. */
export function stepSites(tree: unknown): { path: PathSegment[]; step: Record<string, unknown> }[] {
  const sites: { path: PathSegment[]; step: Record<string, unknown> }[] = [];
  for (const section of ['steadyState', 'method', 'rollbacks']) {
    const list = valueAt(tree, [section]);
    if (!Array.isArray(list)) continue;
    list.forEach((step, i) => {
      if (isPlainObject(step)) sites.push({ path: [section, i], step });
    });
  }
  return sites;
}

export function specSites(tree: unknown): SpecSite[] {
  const sites: SpecSite[] = [];
  for (const { path, step } of stepSites(tree)) {
    for (const kind of STEP_KINDS) {
      const spec = step[kind];
      if (kind !== 'pause' && isPlainObject(spec)) sites.push({ kind, path: [...path, kind], spec });
    }
  }
  const steps = valueAt(tree, ['runbook', 'steps']);
  if (Array.isArray(steps)) {
    steps.forEach((_, i) => {
      const spec = valueAt(tree, ['runbook', 'steps', i, 'check', 'probe']);
      if (isPlainObject(spec)) sites.push({ kind: 'probe', path: ['runbook', 'steps', i, 'check', 'probe'], spec });
    });
  }
  return sites;
}

export function semanticChecks(tree: unknown, registry: Registry, source: YamlSource): Diagnostic[] {
  return [
    ...targetReferenceChecks(tree, registry, source),
    ...duplicateNameChecks(tree, source),
    ...rtoFromCheck(tree, source),
    ...runbookIdChecks(tree, source),
    ...promqlTargetChecks(tree, registry, source),
  ];
}

/** `objectives.rto.from` must name a fault step of the method (its `name`, or the generated `<type> <target>`). */
function rtoFromCheck(tree: unknown, source: YamlSource): Diagnostic[] {
  const from = valueAt(tree, ['objectives', 'rto', 'from']);
  if (typeof from !== 'string') return [];
  const faults: string[] = [];
  for (const { path, step } of stepSites(tree)) {
    if (path[0] !== 'method' || !isPlainObject(step.fault)) continue;
    if (typeof step.name === 'string') faults.push(step.name);
    else faults.push(`${String(step.fault.type)} ${String(step.fault.target)}`);
  }
  if (faults.includes(from)) return [];
  const suggestion = didYouMean(from, faults);
  return [
    diagnostic(source, ['objectives', 'rto', 'from'], 'E_UNKNOWN_STEP', `objectives.rto.from names "${from}", which is not a fault step of the method`, {
      expected: faults.length > 0 ? `one of ${listNames(faults)}` : 'a fault step in the method',
      found: JSON.stringify(from),
      hint: suggestion ?? 'name the fault step whose injection starts the RTO clock (its `name:`)',
    }),
  ];
}

/**
 * A runbook step is evidenced by the step of the run named after it (its `id`), or by its own `check`, or it is
 * `manual` (done by a person). An id that names no step, on a step with neither, is a typo the report would show as
 * "not observed" after the drill: caught here instead.
 */
function runbookIdChecks(tree: unknown, source: YamlSource): Diagnostic[] {
  const steps = valueAt(tree, ['runbook', 'steps']);
  if (!Array.isArray(steps) || !isPlainObject(tree)) return [];
  const names = stepNamesOf(tree);
  const diagnostics: Diagnostic[] = [];
  steps.forEach((step, i) => {
    if (!isPlainObject(step) || typeof step.id !== 'string' || step.manual === true || isPlainObject(step.check)) return;
    if (names.includes(step.id)) return;
    diagnostics.push(
      diagnostic(source, ['runbook', 'steps', i, 'id'], 'E_UNKNOWN_STEP', `runbook step "${step.id}" names no step of the experiment, and has no check`, {
        expected: names.length > 0 ? `one of ${listNames(names)}` : 'the name of a step',
        found: JSON.stringify(step.id),
        hint: didYouMean(step.id, names) ?? 'name the step that does this (its `name:`), give the runbook step a `check:`, or mark it `manual: true` if a person does it',
      }),
    );
  });
  return diagnostics;
}

function diagnostic(source: YamlSource, path: PathSegment[], code: string, message: string, extra: Partial<Diagnostic> = {}): Diagnostic {
  const pos = locate(source, path);
  return { code, file: source.file, line: pos.line, column: pos.column, path: formatPath(path), message, ...extra };
}

function targetReferenceChecks(tree: unknown, registry: Registry, source: YamlSource): Diagnostic[] {
  const targets = valueAt(tree, ['targets']);
  const declared = isPlainObject(targets) ? targets : {};
  const diagnostics: Diagnostic[] = [];
  for (const site of specSites(tree)) {
    const targetName = site.spec.target;
    if (typeof targetName !== 'string') continue;
    const type = site.spec.type;
    const table = site.kind === 'fault' ? registry.faults : site.kind === 'probe' ? registry.probes : registry.actions;
    const registered = typeof type === 'string' ? table.get(type) : undefined;
    // A type that takes no target is reported by the schema ("takes no target"); nothing to check here.
    if (registered && 'needsTarget' in registered.def && registered.def.needsTarget === false) continue;
    const at = [...site.path, 'target'];
    const target = Object.hasOwn(declared, targetName) ? declared[targetName] : undefined;
    if (target === undefined) {
      const names = Object.keys(declared);
      diagnostics.push(
        diagnostic(source, at, 'E_UNKNOWN_TARGET', `unknown target "${targetName}"`, {
          expected: `one of ${listNames(names)}`,
          found: `"${targetName}"`,
          hint: didYouMean(targetName, names) ?? (names.length === 0 ? 'declare it under `targets:`' : `targets: ${listNames(names)}`),
        }),
      );
      continue;
    }
    const targetType = isPlainObject(target) ? target.type : undefined;
    if (registered && typeof targetType === 'string' && registry.plugins.has(targetType) && registered.plugin.name !== targetType) {
      diagnostics.push(
        diagnostic(source, at, 'E_TARGET_TYPE', `${site.kind} "${String(type)}" needs a ${registered.plugin.name} target, but "${targetName}" is a ${targetType} target`, {
          expected: `a target of type ${registered.plugin.name}`,
          found: `"${targetName}" (type ${targetType})`,
          hint: `point it at a ${registered.plugin.name} target, or use a ${targetType} ${site.kind}`,
        }),
      );
    }
  }
  return diagnostics;
}

function duplicateNameChecks(tree: unknown, source: YamlSource): Diagnostic[] {
  const seen = new Map<string, PathSegment[]>();
  const diagnostics: Diagnostic[] = [];
  for (const { path, step } of stepSites(tree)) {
    const name = step.name;
    if (typeof name !== 'string') continue;
    const first = seen.get(name);
    if (first) {
      const firstPos = locate(source, [...first, 'name']);
      diagnostics.push(
        diagnostic(source, [...path, 'name'], 'E_DUPLICATE_NAME', `step name "${name}" is used twice`, {
          hint: `the first is at line ${firstPos.line} (${formatPath(first)}); step names must be unique`,
        }),
      );
    } else {
      seen.set(name, path);
    }
  }
  return diagnostics;
}

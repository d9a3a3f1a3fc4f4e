/**
 * Checks the schema cannot express for PromQL objectives and guardrails: `promql.target` must name a declared
 * target whose plugin answers PromQL (the `metricsSource` capability: prometheus). Run with the other semantic
 * checks, on the plain tree, so every problem shows at once.
 */
import type { Diagnostic } from '../errors.js';
import type { Registry } from '../plugins/registry.js';
import { didYouMean, listNames } from './suggest.js';
import { formatPath, locate, type PathSegment, type YamlSource } from './yaml-source.js';
import { isPlainObject, valueAt } from './document-path.js';

/** Where PromQL specs can be: objectives.slo[i].promql and safety.abortWhen[i].promql. */
function promqlSites(tree: unknown): PathSegment[][] {
  const sites: PathSegment[][] = [];
  for (const list of [['objectives', 'slo'], ['safety', 'abortWhen']]) {
    const entries = valueAt(tree, list);
    if (!Array.isArray(entries)) continue;
    entries.forEach((_, i) => {
      if (isPlainObject(valueAt(tree, [...list, i, 'promql']))) sites.push([...list, i, 'promql']);
    });
  }
  return sites;
}

export function promqlTargetChecks(tree: unknown, registry: Registry, source: YamlSource): Diagnostic[] {
  const answersPromql = (type: unknown) => typeof type === 'string' && registry.plugins.get(type)?.metricsSource !== undefined;
  const promqlTypes = [...registry.plugins.values()].filter((p) => p.metricsSource !== undefined).map((p) => p.name);
  const declared = valueAt(tree, ['targets']);
  const targets = isPlainObject(declared) ? declared : {};
  const promqlNames = Object.keys(targets).filter((n) => isPlainObject(targets[n]) && answersPromql(targets[n].type));
  const diagnostics: Diagnostic[] = [];
  for (const site of promqlSites(tree)) {
    const name = valueAt(tree, [...site, 'target']);
    if (typeof name !== 'string') continue;
    const target = Object.hasOwn(targets, name) ? targets[name] : undefined;
    const type = isPlainObject(target) ? target.type : undefined;
    if (answersPromql(type)) continue;
    const path = [...site, 'target'];
    const pos = locate(source, path);
    diagnostics.push({
      code: target === undefined ? 'E_UNKNOWN_TARGET' : 'E_TARGET_TYPE',
      file: source.file,
      line: pos.line,
      column: pos.column,
      path: formatPath(path),
      message: target === undefined ? `unknown target "${name}"` : `a PromQL query needs a ${promqlTypes.join(' or ')} target, but "${name}" is a ${String(type)} target`,
      expected: promqlNames.length > 0 ? `one of ${listNames(promqlNames)}` : `a target of type ${promqlTypes.join(' or ')}`,
      found: `"${name}"`,
      hint:
        didYouMean(name, promqlNames) ??
        (promqlNames.length === 0 ? 'declare one under `targets:`, e.g. prom: { type: prometheus, url: http://127.0.0.1:9090 }' : `prometheus targets: ${listNames(promqlNames)}`),
    });
  }
  return diagnostics;
}

/**
 * Checks the schema cannot express for PromQL objectives and guardrails: `promql.target` must name a declared
 * target of type prometheus. Run with the other semantic checks, on the plain tree, so every problem shows at once.
 */
import type { Diagnostic } from '../errors.js';
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

export function promqlTargetChecks(tree: unknown, source: YamlSource): Diagnostic[] {
  const declared = valueAt(tree, ['targets']);
  const targets = isPlainObject(declared) ? declared : {};
  const prometheusNames = Object.keys(targets).filter((n) => isPlainObject(targets[n]) && targets[n].type === 'prometheus');
  const diagnostics: Diagnostic[] = [];
  for (const site of promqlSites(tree)) {
    const name = valueAt(tree, [...site, 'target']);
    if (typeof name !== 'string') continue;
    const target = Object.hasOwn(targets, name) ? targets[name] : undefined;
    const type = isPlainObject(target) ? target.type : undefined;
    if (type === 'prometheus') continue;
    const path = [...site, 'target'];
    const pos = locate(source, path);
    diagnostics.push({
      code: target === undefined ? 'E_UNKNOWN_TARGET' : 'E_TARGET_TYPE',
      file: source.file,
      line: pos.line,
      column: pos.column,
      path: formatPath(path),
      message: target === undefined ? `unknown target "${name}"` : `a PromQL query needs a prometheus target, but "${name}" is a ${String(type)} target`,
      expected: prometheusNames.length > 0 ? `one of ${listNames(prometheusNames)}` : 'a target of type prometheus',
      found: `"${name}"`,
      hint:
        didYouMean(name, prometheusNames) ??
        (prometheusNames.length === 0 ? 'declare one under `targets:`, e.g. prom: { type: prometheus, url: http://127.0.0.1:9090 }' : `prometheus targets: ${listNames(prometheusNames)}`),
    });
  }
  return diagnostics;
}

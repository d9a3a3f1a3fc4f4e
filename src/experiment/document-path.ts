/**
 * The parsed document as plain data (what YAML gave, before the schema): reading the value at a path, for the
 * diagnostics and checks that point at a place in the file.
 */
import type { PathSegment } from './yaml-source.js';

export function valueAt(tree: unknown, path: readonly PathSegment[]): unknown {
  let node = tree;
  for (const segment of path) {
    if (Array.isArray(node) && typeof segment === 'number') node = node[segment];
    else if (isPlainObject(node)) node = Object.prototype.hasOwnProperty.call(node, segment) ? node[segment] : undefined;
    else return undefined;
  }
  return node;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at a path of a tree the schema has validated: {} where there is none (the schema said where). */
export function objectAt(tree: unknown, path: readonly PathSegment[]): Record<string, unknown> {
  const value = valueAt(tree, path);
  return isPlainObject(value) ? value : {};
}

/** A zod issue's path as a document path: zod types its keys PropertyKey, but a parsed YAML document has no symbols. */
export function issuePath(issue: { readonly path: readonly PropertyKey[] }): PathSegment[] {
  return issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
}

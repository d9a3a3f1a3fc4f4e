/**
 * The static import graph of our sources, as Node loads it: each file's `import … from` and `export … from` are
 * followed (not `import type`). Dynamic `import()` is not followed: that is what loading on demand means. Relative
 * specifiers resolve to the `.ts` source beside them; anything else is a package (or a node: builtin) and ends the
 * walk there.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface ImportGraph {
  /** Our files reached, relative to the repository root (e.g. `src/cli/main.ts`). */
  files: Set<string>;
  /** Packages reached, by name (`zod`, `@kubernetes/client-node`); node: builtins left out. */
  packages: Set<string>;
  /** Who first imported each file or package, to say how a forbidden one was reached. */
  importedBy: Map<string, string>;
}

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..', '..');

/** Every file and package that loading `entries` (paths relative to the repository root) loads at once. */
export function staticImportGraph(...entries: string[]): ImportGraph {
  const graph: ImportGraph = { files: new Set(), packages: new Set(), importedBy: new Map() };
  const queue = entries.map((entry) => resolve(ROOT, entry));
  for (const entry of queue) graph.files.add(relative(ROOT, entry));
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const specifier of staticSpecifiers(file)) {
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
        const name = relative(ROOT, target);
        if (graph.files.has(name)) continue;
        graph.files.add(name);
        graph.importedBy.set(name, relative(ROOT, file));
        queue.push(target);
      } else if (!specifier.startsWith('node:')) {
        const name = packageName(specifier);
        if (!graph.packages.has(name)) graph.importedBy.set(name, relative(ROOT, file));
        graph.packages.add(name);
      }
    }
  }
  return graph;
}

/** `a.ts ← b.ts ← c.ts`: the chain of first importers that brought `name` into the graph. */
export function importChain(graph: ImportGraph, name: string): string {
  const chain = [name];
  for (let at = graph.importedBy.get(name); at !== undefined; at = graph.importedBy.get(at)) chain.push(at);
  return chain.join(' ← ');
}

/** Each file's specifiers, once per process: several walks share most files. */
const specifiersOf = new Map<string, string[]>();

function staticSpecifiers(file: string): string[] {
  let specifiers = specifiersOf.get(file);
  if (specifiers === undefined) {
    specifiers = readSpecifiers(file);
    specifiersOf.set(file, specifiers);
  }
  return specifiers;
}

/**
 * The specifiers of the imports and re-exports Node would load: all but `import type`, `export type` and imports
 * whose every name is marked `type`. An import whose names are used only as types without saying so is followed
 * too (tsc would drop it): the walk may find more than Node loads, never less.
 */
function readSpecifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && !typeOnlyImport(statement)) {
      specifiers.push(statement.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) && !statement.isTypeOnly) {
      specifiers.push(statement.moduleSpecifier.text);
    }
  }
  return specifiers;
}

function typeOnlyImport(statement: ts.ImportDeclaration): boolean {
  const clause = statement.importClause;
  if (clause === undefined) return false; // `import 'x'`: loaded for its effects
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return clause.name === undefined && named !== undefined && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

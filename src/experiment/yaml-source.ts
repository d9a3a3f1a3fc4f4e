/**
 * The YAML side of loading: parsing with positions, and finding where a path of the document is written, so that
 * every diagnostic points at the key or value it is about.
 */
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar, visit } from 'yaml';
import type { Document, Node } from 'yaml';
import type { Diagnostic } from '../errors.js';
import { messageOf } from '../errors.js';

export type PathSegment = string | number;

/** A parsed file: the YAML document (for positions) and its plain value. */
export interface YamlSource {
  file: string;
  document: Document.Parsed;
  lineCounter: LineCounter;
  value: unknown;
}

export interface Position {
  line: number;
  column: number;
}

/** Parses YAML text; syntax errors become E_YAML_SYNTAX diagnostics at the yaml parser's position. */
export function parseYaml(text: string, file: string): { source: YamlSource | null; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  // uniqueKeys: a key written twice is an error, not a silent override.
  // logLevel error: the library would print its warnings on stderr itself; they become diagnostics below.
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true, logLevel: 'error' });
  // Only the first syntax error: the ones after it are mostly the parser losing its footing.
  const diagnostics: Diagnostic[] = document.errors.slice(0, 1).map((error) => {
    const pos = lineCounter.linePos(error.pos[0]);
    return {
      code: 'E_YAML_SYNTAX',
      file,
      line: pos.line,
      column: pos.col,
      path: '',
      message: `YAML syntax error: ${firstLine(error.message)}`,
      hint: 'check indentation, quoting and the `key: value` structure around this position',
    };
  });
  if (diagnostics.length > 0) return { source: null, diagnostics };
  // A warning is YAML the file should not rely on: an unknown or misplaced tag (`!foo`, `!!binary` on a list).
  const warning = document.warnings[0];
  if (warning) {
    const pos = lineCounter.linePos(warning.pos[0]);
    return {
      source: null,
      diagnostics: [{
        code: 'E_YAML_UNSUPPORTED',
        file,
        line: pos.line,
        column: pos.col,
        path: '',
        message: `unsupported YAML: ${firstLine(warning.message)}`,
        hint: 'experiment files are plain YAML 1.2: no tags such as !!binary or !custom',
      }],
    };
  }
  const structural = structuralProblems(document, lineCounter, file);
  if (structural.length > 0) return { source: null, diagnostics: structural };
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // The yaml library throws (not reports) when aliases expand past maxAliasCount: a "billion laughs" file.
    return { source: null, diagnostics: [aliasExpansionDiagnostic(document, lineCounter, file, error)] };
  }
  return { source: { file, document, lineCounter, value }, diagnostics };
}

/**
 * How many nodes aliases may expand to, in the yaml library's count (aliases × the nodes each one copies). An
 * experiment reuses a few anchors; thousands of copies are a resource-exhaustion attack, not a file a person wrote.
 */
export const MAX_ALIAS_COUNT = 1000;

/** The core schema's own tags: writing `!!str 5` is plain YAML; any other tag is not. */
const PLAIN_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/**
 * Problems the yaml parser does not report and toJS would throw or silently mishandle: an alias whose anchor is
 * not defined before it (`method: *nope`), and a `__proto__` key (it would become the object's prototype in some
 * consumers and vanish in others; no experiment needs one).
 */
function structuralProblems(document: Document.Parsed, lineCounter: LineCounter, file: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const at = (node: unknown, code: string, message: string, hint: string): Diagnostic => {
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    const pos = range ? lineCounter.linePos(range[0]) : { line: 1, col: 1 };
    return { code, file, line: pos.line, column: pos.col, path: '', message, hint };
  };
  const anchors = new Set<string>();
  visit(document, {
    Node(_key, node, path) {
      // Anchors are defined in document order: an alias may only refer to one already seen.
      if (isAlias(node)) {
        if (!anchors.has(node.source)) {
          diagnostics.push(at(node, 'E_YAML_ALIAS', `the alias *${node.source} refers to no anchor defined before it`,
            `define the anchor first (\`key: &${node.source} value\`), or write the value here`));
        } else if (path.includes(node.resolve(document) as never)) {
          // A node that contains itself: valid YAML, but an endless value for everything that reads it.
          diagnostics.push(at(node, 'E_YAML_ALIAS', `the alias *${node.source} refers to a node that contains it (a cycle)`,
            'an experiment is a tree: write the value out instead of referring to an enclosing anchor'));
        }
      } else {
        if (node.anchor) anchors.add(node.anchor);
        if (node.tag !== undefined && !PLAIN_TAGS.has(node.tag)) {
          // !!binary, !!timestamp, !!set… would become values no experiment field takes (bytes, dates, sets).
          diagnostics.push(at(node, 'E_YAML_UNSUPPORTED', `unsupported YAML: the tag ${node.tag.replace('tag:yaml.org,2002:', '!!')}`,
            'experiment files are plain YAML 1.2: strings, numbers, booleans, null, lists and mappings, without tags'));
        }
      }
    },
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.value === '__proto__') {
        diagnostics.push(at(pair.key, 'E_UNKNOWN_KEY', 'the key "__proto__" is not allowed', 'rename or remove the key'));
      }
    },
  });
  return diagnostics.slice(0, 20);
}

function aliasExpansionDiagnostic(document: Document.Parsed, lineCounter: LineCounter, file: string, error: unknown): Diagnostic {
  let culprit: unknown = null;
  visit(document, {
    Alias(_key, node) {
      if (isCollection(node.resolve(document))) {
        culprit = node;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  const range = (culprit as { range?: [number, number, number] } | null)?.range;
  const pos = range ? lineCounter.linePos(range[0]) : { line: 1, col: 1 };
  return {
    code: 'E_YAML_ALIAS',
    file,
    line: pos.line,
    column: pos.col,
    path: '',
    message: `the aliases in this file expand to more than ${MAX_ALIAS_COUNT} nodes (${messageOf(error)})`,
    hint: 'write the repeated parts out, or reuse an anchor a few times, not nested aliases of aliases',
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message;
}

/** `method[2].fault.duration` */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/**
 * Where `path` is written. `at: 'key'` points at the last segment's key (for unknown keys); `at: 'value'` at its
 * value. When the path does not exist (a missing key), the position of the deepest node that does exist: the
 * mapping that lacks the key.
 */
export function locate(source: YamlSource, path: readonly PathSegment[], at: 'key' | 'value' = 'value'): Position {
  let node: unknown = source.document.contents;
  let position = positionOf(source, node) ?? { line: 1, column: 1 };
  for (let i = 0; i < path.length; i++) {
    node = resolveAlias(source, node);
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && keyText(item.key) === String(segment));
      if (!pair) return position;
      if (last && at === 'key') return positionOf(source, pair.key) ?? position;
      node = pair.value;
      // An empty value (`key:`) has no node of its own: point at the key.
      position = positionOf(source, node) ?? positionOf(source, pair.key) ?? position;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) return position;
      node = item;
      position = positionOf(source, node) ?? position;
    } else {
      return position;
    }
  }
  return position;
}

/** The YAML node at `path`, when there is one. */
export function nodeAt(source: YamlSource, path: readonly PathSegment[]): Node | undefined {
  let node: unknown = source.document.contents;
  for (const segment of path) {
    node = resolveAlias(source, node);
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && keyText(item.key) === String(segment));
      if (!pair) return undefined;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
    } else {
      return undefined;
    }
  }
  node = resolveAlias(source, node);
  return node === null || node === undefined ? undefined : (node as Node);
}

/** True when the scalar at `path` is written plain (unquoted), so a substituted value takes its YAML type. */
export function isPlainScalar(source: YamlSource, path: readonly PathSegment[]): boolean {
  const node = nodeAt(source, path);
  return isScalar(node) && (node.type === Scalar.PLAIN || node.type === undefined);
}

function resolveAlias(source: YamlSource, node: unknown): unknown {
  return isAlias(node) ? node.resolve(source.document) : node;
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

function positionOf(source: YamlSource, node: unknown): Position | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  if (!range) return undefined;
  const pos = source.lineCounter.linePos(range[0]);
  return { line: pos.line, column: pos.col };
}

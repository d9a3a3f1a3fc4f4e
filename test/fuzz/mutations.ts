/**
 * Mutations of experiment files and plans, as fast-check arbitraries. A case is a seed plus a few mutations of its
 * document (a key deleted or added, a value of another type, unicode, huge numbers, deep nesting, `${...}` in a
 * field or in every field, a subtree copied elsewhere, an alias), then at most one mutation of the text (an
 * undefined alias, an alias bomb, a truncation, stray characters, a shifted indentation).
 */
import fc from 'fast-check';
import { Document, isMap, isScalar, isSeq, stringify } from 'yaml';
import type { Seed } from './seeds.js';

type Path = Array<string | number>;

export type TreeMutation =
  | { op: 'delete'; at: number }
  | { op: 'replace'; at: number; value: unknown }
  | { op: 'retype'; at: number; into: 'string' | 'number' | 'list' | 'map' | 'null' | 'boolean' }
  | { op: 'add-key'; at: number; key: string; value: unknown }
  | { op: 'copy'; from: number; to: number }
  | { op: 'reference-everywhere'; reference: string }
  | { op: 'alias'; from: number; to: number };

export type TextMutation =
  | { op: 'undefined-alias'; at: number }
  | { op: 'alias-bomb'; depth: number }
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'indent'; at: number; by: number };

export interface FuzzCase {
  seed: number;
  tree: TreeMutation[];
  text: TextMutation | null;
}

const REFERENCES = [
  '${env.HOME}', '${env.__proto__}', '${env.}', '${vars.port}', '${vars.toString}', '${vars.a.b}', '${vars.__proto__}',
  '${secrets.token}', '${secrets.constructor}', '${targets.app.url}', '${targets.app}', '${targets.toString.url}',
  '${targets.constructor.name}', '${targets.lab.url}', '${targets.net.orders.port}', '${}', '${', '$${vars.port}',
  'x${targets.app.pid}y', '${ vars.port }', '${unknown.x}', '${env.PATH}${vars.port}',
];

const DURATIONS = ['0ms', '-1s', '1e400s', '999999999999999d', '30d', '25d', '1.5.5s', '∞s', '10 s', '.5s', '1e3ms', 'NaN s'];

const KEYS = [
  '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', ' ', '<<', 'é', '键', '🔥', 'duration', 'target', 'type',
  'fault', 'probe', 'action', 'pause', 'background', 'name', 'timeout', 'secrets', 'vars', 'objectives', 'load', 'rto',
];

function nested(depth: number, leaf: unknown, asList: boolean): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = asList ? [value] : { a: value };
  return value;
}

/** Values chosen to break validation: wrong types, extremes, unicode, references, deep nesting. */
export const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(...REFERENCES),
  fc.constantFrom(...DURATIONS),
  fc.constantFrom(0, -0, -1, 1e308, -1e308, 2 ** 53 + 1, 2 ** 31, 1e-320, 0.1, 65536, 1e21),
  fc.double(),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map((n) => Number(n)),
  fc.boolean(),
  fc.constant(null),
  fc.tuple(fc.integer({ min: 20, max: 300 }), fc.boolean()).map(([depth, asList]) => nested(depth, 'x', asList)),
  fc.array(fc.constantFrom('a', 1, null, '${vars.x}'), { maxLength: 5 }),
  fc.jsonValue({ maxDepth: 3 }),
);

const index = fc.nat({ max: 10_000 });

const treeMutation: fc.Arbitrary<TreeMutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: index }),
  fc.record({ op: fc.constant('replace' as const), at: index, value: weirdValue }),
  fc.record({ op: fc.constant('retype' as const), at: index, into: fc.constantFrom('string', 'number', 'list', 'map', 'null', 'boolean') }),
  fc.record({ op: fc.constant('add-key' as const), at: index, key: fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 12 })), value: weirdValue }),
  fc.record({ op: fc.constant('copy' as const), from: index, to: index }),
  fc.record({ op: fc.constant('reference-everywhere' as const), reference: fc.constantFrom(...REFERENCES) }),
  fc.record({ op: fc.constant('alias' as const), from: index, to: index }),
);

const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ op: fc.constant('undefined-alias' as const), at: index }),
  fc.record({ op: fc.constant('alias-bomb' as const), depth: fc.integer({ min: 2, max: 9 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: index }),
  fc.record({ op: fc.constant('insert' as const), at: index, text: fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom('\t', '\r', '\uFEFF', '\u0000', '- ', ': ', '{', '"', '&a ', '*a', '!!binary ', '? ', '|\n')) }),
  fc.record({ op: fc.constant('indent' as const), at: index, by: fc.integer({ min: -4, max: 4 }) }),
);

/**
 * Half the cases start from a file that is valid (the repository's experiments and plans), so that mutations
 * reach past the first error; most cases leave the text alone for the same reason.
 */
export function fuzzCase(seeds: readonly Seed[]): fc.Arbitrary<FuzzCase> {
  const valid = seeds.flatMap((s, i) => (s.path.startsWith('test/fixtures/invalid/') ? [] : [i]));
  return fc.record({
    seed: fc.oneof(fc.constantFrom(...valid), fc.nat({ max: seeds.length - 1 })),
    tree: fc.array(treeMutation, { minLength: 0, maxLength: 4 }),
    text: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: textMutation }),
  });
}

/** Every path in a plain tree, in document order (the root first). */
function pathsOf(value: unknown, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...pathsOf(item, [...at, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...at, k]));
  return out;
}

function get(tree: unknown, path: Path): unknown {
  let node = tree;
  for (const segment of path) node = (node as Record<string | number, unknown>)?.[segment];
  return node;
}

function set(tree: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = get(tree, path.slice(0, -1));
  if (parent !== null && typeof parent === 'object') (parent as Record<string | number, unknown>)[path[path.length - 1]!] = value;
  return tree;
}

function retype(value: unknown, into: Extract<TreeMutation, { op: 'retype' }>['into']): unknown {
  switch (into) {
    case 'string':
      return typeof value === 'string' ? `${value}x` : JSON.stringify(value) ?? 'x';
    case 'number':
      return typeof value === 'number' ? -value - 1 : 42;
    case 'list':
      return [value];
    case 'map':
      return { value };
    case 'null':
      return null;
    case 'boolean':
      return typeof value !== 'boolean';
  }
}

function everyString(value: unknown, reference: string): unknown {
  if (typeof value === 'string') return `${value}${reference}`;
  if (Array.isArray(value)) return value.map((v) => everyString(v, reference));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, everyString(v, reference)]));
  return value;
}

/** Applies the tree mutations; returns YAML text (null tree: the seed's own text). */
function mutateTree(seed: Seed, mutations: TreeMutation[]): string {
  if (seed.tree === null || mutations.length === 0) return seed.text;
  let tree: unknown = structuredClone(seed.tree);
  let alias: { from: Path; to: Path } | null = null;
  for (const m of mutations) {
    const paths = pathsOf(tree);
    const pick = (i: number) => paths[i % paths.length]!;
    switch (m.op) {
      case 'delete': {
        const path = pick(m.at);
        const parent = get(tree, path.slice(0, -1));
        if (Array.isArray(parent)) parent.splice(path[path.length - 1] as number, 1);
        else if (parent !== null && typeof parent === 'object') delete (parent as Record<string, unknown>)[path[path.length - 1] as string];
        break;
      }
      case 'replace':
        tree = set(tree, pick(m.at), structuredClone(m.value));
        break;
      case 'retype':
        tree = set(tree, pick(m.at), retype(get(tree, pick(m.at)), m.into));
        break;
      case 'add-key': {
        const maps = paths.filter((p) => { const v = get(tree, p); return v !== null && typeof v === 'object' && !Array.isArray(v); });
        const target = maps.length > 0 ? get(tree, maps[m.at % maps.length]!) : null;
        // defineProperty: an own `__proto__` key, as YAML would produce it, not a prototype change.
        if (target) Object.defineProperty(target, m.key, { value: structuredClone(m.value), enumerable: true, writable: true, configurable: true });
        break;
      }
      case 'copy':
        tree = set(tree, pick(m.to), structuredClone(get(tree, pick(m.from))));
        break;
      case 'reference-everywhere':
        tree = everyString(tree, m.reference);
        break;
      case 'alias':
        alias = { from: pick(m.from), to: pick(m.to) };
        break;
    }
  }
  if (alias === null || alias.from.length === 0 || alias.to.length === 0) return stringify(tree, { aliasDuplicateObjects: false });
  // An alias in the document: to a node before it, after it (undefined when parsed), or around it (a cycle).
  const doc = new Document(tree, { aliasDuplicateObjects: false });
  const source: unknown = doc.getIn(alias.from, true);
  const parent = doc.getIn(alias.to.slice(0, -1), true);
  if (!(isScalar(source) || isMap(source) || isSeq(source)) || !(isMap(parent) || isSeq(parent))) return doc.toString();
  // The yaml library will not write an alias before its anchor; a placeholder written in its place will.
  try {
    source.anchor = 'fuzz';
    doc.setIn(alias.to, doc.createNode('FUZZ_ALIAS_PLACEHOLDER'));
    return doc.toString().replace('FUZZ_ALIAS_PLACEHOLDER', '*fuzz');
  } catch {
    // Later mutations moved the tree under the chosen paths: no alias in this case.
    return stringify(tree, { aliasDuplicateObjects: false });
  }
}

function mutateText(text: string, m: TextMutation): string {
  const lines = text.split('\n');
  switch (m.op) {
    case 'undefined-alias': {
      const valued = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*(- )?[^\s:#][^:#]*: \S/.test(l));
      if (valued.length === 0) return `${text}\nextra: *nope\n`;
      const [line, i] = valued[m.at % valued.length]!;
      lines[i] = line.replace(/: \S.*$/, ': *nope');
      return lines.join('\n');
    }
    case 'alias-bomb': {
      const bomb = ['fuzzBomb:', '  l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i <= m.depth; i++) bomb.push(`  l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`);
      return `${bomb.join('\n')}\n${text}`;
    }
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'insert': {
      const at = m.at % (text.length + 1);
      return `${text.slice(0, at)}${m.text}${text.slice(at)}`;
    }
    case 'indent': {
      const i = m.at % lines.length;
      lines[i] = m.by >= 0 ? `${' '.repeat(m.by)}${lines[i]}` : lines[i]!.replace(new RegExp(`^ {0,${-m.by}}`), '');
      return lines.join('\n');
    }
  }
}

/** The text of a case. */
export function render(seed: Seed, c: FuzzCase): string {
  const text = mutateTree(seed, c.tree);
  return c.text === null ? text : mutateText(text, c.text);
}

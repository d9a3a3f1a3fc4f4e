/**
 * The catalog `chaos list` shows: every target, fault, probe and action type of the registry with its parameters,
 * read from the zod schemas (so it cannot drift from what validation accepts), and narrowed to a plugin or a type.
 */
import { z } from 'zod';
import { ChaosError, ExitCode } from '../errors.js';
import { didYouMean } from '../experiment/suggest.js';
import type { ParamsSchema } from '../plugins/api.js';
import type { Registry } from '../plugins/registry.js';

export interface ParamInfo {
  /** Nested settings are dotted: `ready.port`. */
  name: string;
  type: string;
  required: boolean;
  default: unknown;
  description: string | null;
}

export interface CatalogEntry {
  kind: 'target' | 'fault' | 'probe' | 'action';
  type: string;
  plugin: string;
  description: string;
  params: ParamInfo[];
  /** Targets only: what `${targets.<name>.<attribute>}` can read once connected. */
  attributes?: string[];
}

export interface Catalog {
  targets: CatalogEntry[];
  faults: CatalogEntry[];
  probes: CatalogEntry[];
  actions: CatalogEntry[];
}

/** The part of JSON Schema the catalog reads. */
interface JsonSchemaNode {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchemaNode[];
  items?: JsonSchemaNode;
  properties?: Record<string, JsonSchemaNode>;
  additionalProperties?: boolean | JsonSchemaNode;
  required?: string[];
  default?: unknown;
  description?: string;
  $ref?: string;
  $defs?: Record<string, JsonSchemaNode>;
}

/** Shared definitions of the schema being read, and the ones being expanded (a recursive one is expanded once). */
interface Defs {
  table: Record<string, JsonSchemaNode>;
  expanding: ReadonlySet<string>;
}

export function listCatalog(registry: Registry): Catalog {
  const entries = (kind: 'fault' | 'probe' | 'action', table: Registry['faults'] | Registry['probes'] | Registry['actions']) =>
    [...table.entries()].map(([type, { plugin, def }]): CatalogEntry => ({
      kind,
      type,
      plugin: plugin.name,
      description: def.description,
      params: describeParams(def.params),
    }));
  return {
    targets: [...registry.plugins.values()]
      .filter((p) => p.config)
      .map((p) => ({ kind: 'target', type: p.name, plugin: p.name, description: p.description, params: describeParams(p.config!), attributes: [...(p.attributes ?? [])] })),
    faults: entries('fault', registry.faults),
    probes: entries('probe', registry.probes),
    actions: entries('action', registry.actions),
  };
}

/**
 * The catalog narrowed to what `query` names: a plugin (its target and every type it brings) or one type. A name
 * that is both (`tcp`, `http`, `command`) is the plugin, which includes the type.
 */
export function filterCatalog(catalog: Catalog, registry: Registry, query: string): Catalog {
  const keep = registry.plugins.has(query) ? (e: CatalogEntry) => e.plugin === query : (e: CatalogEntry) => e.kind !== 'target' && e.type === query;
  const filtered: Catalog = {
    targets: catalog.targets.filter(keep),
    faults: catalog.faults.filter(keep),
    probes: catalog.probes.filter(keep),
    actions: catalog.actions.filter(keep),
  };
  if (Object.values(filtered).every((list) => list.length === 0)) {
    const names = [...registry.plugins.keys(), ...registry.faults.keys(), ...registry.probes.keys(), ...registry.actions.keys()];
    throw new ChaosError(`"${query}" is neither a plugin nor a type`, {
      code: 'E_LIST_UNKNOWN',
      exitCode: ExitCode.InvalidInput,
      hint: didYouMean(query, names) ?? `plugins: ${[...registry.plugins.keys()].join(', ')}; \`chaos list\` shows every type`,
    });
  }
  return filtered;
}

function describeParams(schema: ParamsSchema): ParamInfo[] {
  const root = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  return describeProperties(root, '', { table: root.$defs ?? {}, expanding: new Set() });
}

/** One row per property; an object with properties of its own adds rows for them, dotted. */
function describeProperties(node: JsonSchemaNode, prefix: string, defs: Defs): ParamInfo[] {
  return Object.entries(node.properties ?? {}).flatMap(([key, p]) => {
    const name = `${prefix}${key}`;
    const row: ParamInfo = {
      name,
      type: typeOf(p, defs),
      required: (node.required ?? []).includes(key) && p.default === undefined,
      default: p.default,
      description: p.description ?? null,
    };
    return [row, ...(p.properties ? describeProperties(p, `${name}.`, defs) : [])];
  });
}

/** A short type for people: `string`, `integer[]`, `"one"|"all"|{count}`, `map of string`. */
function typeOf(node: JsonSchemaNode, defs: Defs): string {
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join('|');
  if (node.anyOf) return [...new Set(node.anyOf.map((n) => typeOf(n, defs)))].join('|');
  if (node.$ref) {
    const name = node.$ref.replace('#/$defs/', '');
    const target = defs.table[name];
    // Any JSON value is named so, not spelt out; another definition that contains itself is expanded once.
    if (target === undefined || isAnyJson(target)) return 'JSON';
    if (defs.expanding.has(name)) return '…';
    return typeOf(target, { table: defs.table, expanding: new Set([...defs.expanding, name]) });
  }
  const types = Array.isArray(node.type) ? node.type : node.type === undefined ? [] : [node.type];
  if (types.length === 0) return 'any';
  return types
    .map((type) => {
      if (type === 'array') return node.items ? `${wrapUnion(typeOf(node.items, defs))}[]` : 'array';
      if (type !== 'object') return type;
      if (node.properties && Object.keys(node.properties).length > 0) return `{${Object.keys(node.properties).join(', ')}}`;
      if (typeof node.additionalProperties === 'object') return `map of ${typeOf(node.additionalProperties, defs)}`;
      return 'object';
    })
    .join('|');
}

/** A union of every JSON type: what zod's `z.json()` becomes. */
function isAnyJson(node: JsonSchemaNode): boolean {
  const types = new Set((node.anyOf ?? []).map((alternative) => alternative.type));
  return ['string', 'number', 'boolean', 'null', 'array', 'object'].every((type) => types.has(type));
}

const wrapUnion = (type: string) => (type.includes('|') ? `(${type})` : type);

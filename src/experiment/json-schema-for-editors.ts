/**
 * zod's JSON Schema, made right for editors (yaml-language-server reads it with a draft 2020-12 validator, as Ajv
 * does): shared parts under names that say what they are, a `${...}` reference accepted wherever substitution may
 * put a scalar, and only formats a standard validator knows.
 */
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

export interface EditorSchemaOptions {
  $id: string;
  title: string;
  /** Schemas to define once under `$defs` and reference by these names. */
  definitions: ReadonlyMap<z.ZodType, string>;
  /** Under which top-level keys a `${...}` reference is accepted wherever a typed scalar stands (none if absent). */
  substitutedKeys?: (key: string) => boolean;
}

export const REFERENCE_DEFINITION = 'reference';
export const TEXT_WITH_REFERENCE_DEFINITION = 'textWithReference';

/** The formats of draft 2020-12 that validators know; zod also writes its own (`starts_with`), next to a pattern. */
const STANDARD_FORMATS = new Set([
  'date-time', 'date', 'time', 'duration', 'email', 'idn-email', 'hostname', 'idn-hostname', 'ipv4', 'ipv6',
  'uri', 'uri-reference', 'iri', 'iri-reference', 'uuid', 'uri-template', 'json-pointer', 'relative-json-pointer', 'regex',
]);

/** Keys whose values are subschemas (maps of them, lists of them, or one). */
const SUBSCHEMA_MAPS = ['properties', '$defs', 'patternProperties', 'dependentSchemas'];
const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const SUBSCHEMA_SINGLES = ['items', 'additionalProperties', 'not', 'propertyNames', 'contains', 'if', 'then', 'else'];

const SCALAR_TYPES = new Set(['integer', 'number', 'boolean', 'null']);
/** zod writes the safe-integer range on every integer; it says nothing a reader needs. */
const SAFE_INTEGER_BOUNDS = { minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };
/** What describes a value to a reader; kept on the wrapper so hovers still show it. */
const ANNOTATIONS = ['description', 'default', 'examples', 'title', 'deprecated'];

export function jsonSchemaForEditors(schema: z.ZodType, options: EditorSchemaOptions): JsonSchema {
  const generated = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    metadata: namingRegistry(options.definitions),
  }) as JsonSchema;
  const { $schema, ...rest } = generated;
  const result: JsonSchema = { $schema, $id: options.$id, title: options.title, ...rest };
  const defs = (result.$defs ?? {}) as Record<string, JsonSchema>;
  cleanUp(result);
  const substituted = options.substitutedKeys;
  if (substituted) {
    const properties = (result.properties ?? {}) as Record<string, JsonSchema>;
    for (const [key, property] of Object.entries(properties)) if (substituted(key)) properties[key] = acceptReferences(property);
    // Definitions are shared, used under substituted keys or not: they accept references (loosely) everywhere.
    for (const [name, definition] of Object.entries(defs)) defs[name] = acceptReferences(definition);
    defs[REFERENCE_DEFINITION] = {
      description: 'A ${...} reference (env, vars, secrets, targets) standing for the whole value; substituted before validation',
      type: 'string',
      pattern: '^\\$\\{[^}]*\\}$',
    };
    defs[TEXT_WITH_REFERENCE_DEFINITION] = {
      description: 'Text with ${...} references in it; substituted before validation',
      type: 'string',
      pattern: '\\$\\{[^}]*\\}',
    };
  }
  if (Object.keys(defs).length > 0) {
    delete result.$defs;
    result.$defs = Object.fromEntries(Object.entries(defs).sort(([a], [b]) => a.localeCompare(b)));
  }
  return result;
}

/**
 * The metadata zod reads while generating: the global registry's (descriptions, examples), plus an `id` on each
 * schema to define once, which is what makes zod put it under `$defs` with that name.
 */
function namingRegistry(definitions: ReadonlyMap<z.core.$ZodType, string>): z.core.$ZodRegistry<z.core.GlobalMeta> {
  const registry = z.registry<z.core.GlobalMeta>();
  registry.get = (schema) => {
    const meta = z.globalRegistry.get(schema);
    const id = definitions.get(schema);
    return id === undefined ? meta : { ...meta, id };
  };
  return registry;
}

/** Drops unknown formats and the safe-integer bounds, everywhere. */
function cleanUp(node: JsonSchema): void {
  if (typeof node.format === 'string' && !STANDARD_FORMATS.has(node.format)) delete node.format;
  if (node.minimum === SAFE_INTEGER_BOUNDS.minimum) delete node.minimum;
  if (node.maximum === SAFE_INTEGER_BOUNDS.maximum) delete node.maximum;
  forEachSubschema(node, (child) => {
    cleanUp(child);
    return child;
  });
}

/** The same schema, where every typed scalar also accepts a `${...}` reference. */
function acceptReferences(node: JsonSchema): JsonSchema {
  // Keys are never substituted: propertyNames keeps its constraints.
  const { propertyNames } = node;
  forEachSubschema(node, acceptReferences);
  if (propertyNames !== undefined) node.propertyNames = propertyNames;
  const alternative = referenceAlternative(node);
  if (alternative === undefined) return node;
  const wrapper: JsonSchema = {};
  const inner: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) (ANNOTATIONS.includes(key) ? wrapper : inner)[key] = value;
  wrapper.anyOf = [inner, { $ref: `#/$defs/${alternative}` }];
  return wrapper;
}

/** Which reference a scalar schema lacks: none for `const` (a discriminator) or text that any string satisfies. */
function referenceAlternative(node: JsonSchema): string | undefined {
  if ('const' in node) return undefined;
  const types = Array.isArray(node.type) ? (node.type as string[]) : typeof node.type === 'string' ? [node.type] : [];
  const constrainedText = 'pattern' in node || 'format' in node || 'enum' in node || 'maxLength' in node;
  if (types.includes('string')) return constrainedText ? TEXT_WITH_REFERENCE_DEFINITION : undefined;
  if (types.some((t) => SCALAR_TYPES.has(t))) return REFERENCE_DEFINITION;
  if (types.length === 0 && Array.isArray(node.enum)) {
    return node.enum.some((v) => typeof v === 'string') ? TEXT_WITH_REFERENCE_DEFINITION : REFERENCE_DEFINITION;
  }
  return undefined;
}

/** Replaces each direct subschema of `node` with `visit(subschema)`. */
function forEachSubschema(node: JsonSchema, visit: (child: JsonSchema) => JsonSchema): void {
  for (const key of SUBSCHEMA_MAPS) {
    const map = node[key];
    if (!isSchema(map)) continue;
    for (const [name, child] of Object.entries(map)) if (isSchema(child)) map[name] = visit(child);
  }
  for (const key of SUBSCHEMA_LISTS) {
    const list = node[key];
    if (Array.isArray(list)) node[key] = list.map((child: unknown) => (isSchema(child) ? visit(child) : child));
  }
  for (const key of SUBSCHEMA_SINGLES) {
    const child = node[key];
    if (isSchema(child)) node[key] = visit(child);
  }
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The text of a generated schema: one line per top-level key, per top-level property and per definition. Indented
 * all the way down it is twice the size (editors fetch and parse it), and a diff still shows which part changed.
 */
export function formatJsonSchema(schema: object): string {
  const entry = ([key, value]: [string, unknown], indent: string) => `${indent}${JSON.stringify(key)}: ${JSON.stringify(value)}`;
  const lines = Object.entries(schema).map(([key, value]) => {
    if ((key !== 'properties' && key !== '$defs') || !isSchema(value)) return entry([key, value], '  ');
    const inner = Object.entries(value).map((child) => entry(child, '    '));
    return `  ${JSON.stringify(key)}: {\n${inner.join(',\n')}\n  }`;
  });
  return `{\n${lines.join(',\n')}\n}\n`;
}

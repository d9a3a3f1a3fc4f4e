/**
 * Decodes parsed JSON into the shapes Toxiproxy's Go structs give it, with Go's rules and Go's error texts: keys
 * match fields exactly or case-insensitively, unknown keys are ignored, `null` leaves a field as it was, integers
 * must be written as integers within 64 bits, and a value of the wrong type is
 * "json: cannot unmarshal string into Go struct field Proxy.enabled of type bool".
 */
import type { GoJson } from './go-json-parse.js';

/** A field's Go type, as Go's errors name it. */
export type GoFieldType = 'string' | 'bool' | 'int' | 'int64' | 'float32' | GoStruct;

export interface GoStruct {
  /** How Go names the type of a whole value (`toxiproxy.Proxy`, `struct { ... }` for an anonymous one). */
  typeName: string;
  /** How Go names the struct in a field error (`Proxy` in "Go struct field Proxy.name"; empty when anonymous). */
  structName: string;
  fields: Record<string, GoFieldType>;
}

/** A value of the wrong type for its field; `message` is Go's text. */
export class GoTypeError extends Error {
  override name = 'GoTypeError';
}

export type GoDecoded = string | boolean | bigint | number | GoFields;
export interface GoFields {
  [field: string]: GoDecoded;
}

/**
 * The fields of `value` that `spec` knows and that are not null, decoded. A top-level `null` decodes to no fields,
 * as Go leaves the target untouched. Throws GoTypeError at the first value of the wrong type.
 */
export function decodeGoStruct(value: GoJson, spec: GoStruct): GoFields {
  if (value.kind === 'null') return {};
  if (value.kind !== 'object') throw new GoTypeError(`json: cannot unmarshal ${kindName(value)} into Go value of type ${spec.typeName}`);
  return decodeFields(value.entries, spec, []);
}

/** A JSON array of structs (`[]struct{...}`); null elements decode to no fields. */
export function decodeGoArray(value: GoJson, element: GoStruct, arrayTypeName: string): GoFields[] | null {
  if (value.kind === 'null') return null;
  if (value.kind !== 'array') throw new GoTypeError(`json: cannot unmarshal ${kindName(value)} into Go value of type ${arrayTypeName}`);
  return value.items.map((item) => decodeGoStruct(item, element));
}

function decodeFields(entries: [string, GoJson][], spec: GoStruct, path: string[]): GoFields {
  const out: GoFields = {};
  const names = Object.keys(spec.fields);
  for (const [key, item] of entries) {
    const field = names.includes(key) ? key : names.find((name) => foldEquals(name, key));
    if (field === undefined || item.kind === 'null') continue;
    const type = spec.fields[field];
    const fieldPath = [...path, field];
    const where = () => `Go struct field ${spec.structName}.${fieldPath.join('.')} of type`;
    if (typeof type === 'object') {
      if (item.kind !== 'object') throw new GoTypeError(`json: cannot unmarshal ${kindName(item)} into ${where()} ${type.typeName}`);
      out[field] = decodeFields(item.entries, type, fieldPath);
      continue;
    }
    out[field] = decodeScalar(item, type, () => where());
  }
  return out;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function decodeScalar(item: GoJson, type: 'string' | 'bool' | 'int' | 'int64' | 'float32', where: () => string): GoDecoded {
  const wrong = (what: string) => new GoTypeError(`json: cannot unmarshal ${what} into ${where()} ${type}`);
  switch (type) {
    case 'string':
      if (item.kind !== 'string') throw wrong(kindName(item));
      return item.value;
    case 'bool':
      if (item.kind !== 'bool') throw wrong(kindName(item));
      return item.value;
    case 'int':
    case 'int64': {
      if (item.kind !== 'number') throw wrong(kindName(item));
      if (!/^-?\d+$/.test(item.literal)) throw wrong(`number ${item.literal}`);
      const value = BigInt(item.literal);
      if (value < INT64_MIN || value > INT64_MAX) throw wrong(`number ${item.literal}`);
      return value;
    }
    case 'float32': {
      if (item.kind !== 'number') throw wrong(kindName(item));
      const value = Math.fround(Number(item.literal));
      if (!Number.isFinite(value)) throw wrong(`number ${item.literal}`);
      return value;
    }
  }
}

function kindName(value: GoJson): string {
  return value.kind;
}

/** Go's case folding for field names: ASCII case, plus the Kelvin sign for k and the long s for s. */
function foldEquals(field: string, key: string): boolean {
  if (field.length !== key.length) return false;
  const folded = key.replace(/\u212a/g, 'k').replace(/\u017f/g, 's');
  return folded.toLowerCase() === field.toLowerCase() && /^[\x00-\x7f]*$/.test(folded);
}

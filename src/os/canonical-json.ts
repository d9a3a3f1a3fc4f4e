/**
 * RFC 8785 canonical JSON (package `canonicalize`) with a typed signature. The package is CommonJS whose typings
 * declare an ES default export; under NodeNext TypeScript types the default import as the module object, while
 * Node hands us the function itself. This file absorbs that mismatch in one place.
 */
import canonicalizeModule from 'canonicalize';
import type { Json } from '../json.js';

type Serialize = (input: unknown) => string | undefined;

const serialize: Serialize =
  typeof canonicalizeModule === 'function'
    ? canonicalizeModule
    : canonicalizeModule.default;

/** The canonical JSON text of a JSON value (sorted keys, no whitespace, ECMAScript number formatting). */
export function canonicalJson(value: Json): string {
  const text = serialize(value);
  if (text === undefined) throw new Error('canonicalJson: value has no JSON representation');
  return text;
}

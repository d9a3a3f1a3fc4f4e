/**
 * Walks a zod schema along a document path, to list the keys allowed where an unknown key was found (for
 * "did you mean" hints). Unions are followed into the branch the value most plausibly meant.
 */
import type { z } from 'zod';
import type { PathSegment } from './yaml-source.js';
import { isPlainObject, valueAt } from './document-path.js';

type Schema = z.core.$ZodType;


interface Def {
  type: string;
  shape?: Record<string, Schema>;
  element?: Schema;
  valueType?: Schema;
  innerType?: Schema;
  in?: Schema;
  options?: Schema[];
  discriminator?: string;
  /** A literal's values. */
  values?: unknown[];
}

/** The fields of zod's definitions this walk reads; zod types `def` as their common base, `type` only. */
function defOf(schema: Schema): Def {
  return schema._zod.def;
}

function unwrap(schema: Schema, value: unknown): Schema {
  let current = schema;
  for (let i = 0; i < 20; i++) {
    const def = defOf(current);
    if (def.innerType && ['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional'].includes(def.type)) {
      current = def.innerType;
    } else if (def.type === 'pipe' && def.in) {
      current = def.in;
    } else if (def.type === 'union' && def.options) {
      const picked = pickOption(def, value);
      if (!picked) break;
      current = picked;
    } else {
      break;
    }
  }
  return current;
}

/** The union option the value most plausibly meant: matching discriminator, else the most keys in common. */
function pickOption(def: Def, value: unknown): Schema | undefined {
  const options = def.options ?? [];
  if (!isPlainObject(value)) return undefined;
  if (def.discriminator) {
    return options.find((option) => {
      const shape = defOf(option).shape;
      const literal = shape?.[def.discriminator as string];
      const values = literal ? defOf(literal).values : undefined;
      return values?.includes(value[def.discriminator as string]);
    });
  }
  let best: Schema | undefined;
  let bestScore = -1;
  for (const option of options) {
    const shape = defOf(unwrap(option, value)).shape ?? {};
    const score = Object.keys(value).filter((k) => k in shape).length;
    if (score > bestScore) {
      best = option;
      bestScore = score;
    }
  }
  return best;
}

/** The keys the schema allows in the object at `path` of `tree`, when it is an object there. */
export function allowedKeys(root: Schema, path: readonly PathSegment[], tree: unknown): string[] | undefined {
  let schema = unwrap(root, tree);
  for (let i = 0; i < path.length; i++) {
    const def = defOf(schema);
    const segment = path[i];
    let next: Schema | undefined;
    if (def.type === 'object') next = def.shape?.[String(segment)];
    else if (def.type === 'array') next = def.element;
    else if (def.type === 'record') next = def.valueType;
    if (!next) return undefined;
    schema = unwrap(next, valueAt(tree, path.slice(0, i + 1)));
  }
  const shape = defOf(schema).shape;
  return shape ? Object.keys(shape) : undefined;
}

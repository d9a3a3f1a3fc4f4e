import { z } from 'zod';

/** A plain JSON value: what may go into the ledger, the journal and reports. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/**
 * Any JSON value, one schema for every place that takes one: the JSON Schema of experiments defines it once (`json`)
 * instead of once per use.
 */
export const jsonValueSchema = z.json();

/**
 * A value whose type is JSON all the way down, written with interfaces (which TypeScript never finds assignable to
 * `Json`, having no index signature): optional fields may be absent (JSON.stringify leaves them out), functions,
 * dates, maps and class instances are refused by the compiler.
 */
export type JsonShaped<T> = T extends null | boolean | number | string
  ? T
  : T extends (...args: never[]) => unknown
    ? never
    : T extends readonly (infer Item)[]
      ? readonly JsonShaped<Item>[]
      : T extends Date | Map<unknown, unknown> | Set<unknown>
        ? never
        : T extends object
          ? { [K in keyof T]: undefined extends T[K] ? JsonShaped<Exclude<T[K], undefined>> | undefined : JsonShaped<T[K]> }
          : never;

/** The value as Json, once the compiler has checked that its type is JSON-shaped: the one checked cast. */
export function asJson<T>(value: T & JsonShaped<T>): Json {
  return value as Json;
}

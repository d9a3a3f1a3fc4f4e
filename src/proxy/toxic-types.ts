/**
 * The toxic types of Toxiproxy 2.12 and their attributes, with the Go struct each decodes into (its name and field
 * types appear in error texts). Missing attributes are 0, as in Go. Values are taken as the real server takes them
 * (negative numbers included: a negative latency or timeout acts as 0), except the few with which the real server
 * crashes or never delivers data again; those are refused with 400 (`refusal`) instead.
 */
import type { GoStruct } from './go-json-decode.js';

const toxicStructs = {
  noop: { struct: 'NoopToxic', fields: {} },
  latency: { struct: 'LatencyToxic', fields: { latency: 'int64', jitter: 'int64' } },
  bandwidth: { struct: 'BandwidthToxic', fields: { rate: 'int64' } },
  slow_close: { struct: 'SlowCloseToxic', fields: { delay: 'int64' } },
  timeout: { struct: 'TimeoutToxic', fields: { timeout: 'int64' } },
  reset_peer: { struct: 'ResetToxic', fields: { timeout: 'int64' } },
  slicer: { struct: 'SlicerToxic', fields: { average_size: 'int', size_variation: 'int', delay: 'int' } },
  limit_data: { struct: 'LimitDataToxic', fields: { bytes: 'int64' } },
} as const;

export type ToxicType = keyof typeof toxicStructs;
export const TOXIC_TYPES = Object.keys(toxicStructs) as ToxicType[];

export type Stream = 'upstream' | 'downstream';

/** Every attribute of a type, in Toxiproxy's order, as numbers. */
export type ToxicAttributes = Record<string, number>;

export function isToxicType(value: unknown): value is ToxicType {
  return typeof value === 'string' && Object.hasOwn(toxicStructs, value);
}

/** The Go struct a type's attributes decode into (`toxics.LatencyToxic`). */
export function attributesStruct(type: ToxicType): GoStruct {
  const { struct, fields } = toxicStructs[type];
  return { typeName: `toxics.${struct}`, structName: struct, fields };
}

/** A type's attributes with every field 0, in Toxiproxy's order. */
export function zeroAttributes(type: ToxicType): ToxicAttributes {
  return Object.fromEntries(Object.keys(toxicStructs[type].fields).map((name) => [name, 0]));
}

/**
 * Why the embedded proxy refuses these attributes, or null. The real server accepts them and then crashes
 * (a Go panic takes every proxy down) or stalls the connection forever, so an experiment that used them would not
 * test what it means to; integers beyond 2^53 cannot be held exactly here.
 */
export function refusal(type: ToxicType, attributes: ToxicAttributes): string | null {
  for (const [name, value] of Object.entries(attributes)) {
    if (!Number.isSafeInteger(value)) {
      return `attributes.${name}: ${value} is too large (the embedded proxy takes integers of at most ±${Number.MAX_SAFE_INTEGER})`;
    }
  }
  if (type === 'bandwidth') {
    const rate = attributes.rate;
    if (rate < 0) return `attributes.rate: a negative rate crashes Toxiproxy (slice bounds out of range); use 1 or more (KB/s)`;
    if (rate === 0) return 'attributes.rate: 0 stalls the connection forever on Toxiproxy; use 1 or more (KB/s)';
  }
  if (type === 'slicer') {
    const { average_size: average, size_variation: variation } = attributes as { average_size: number; size_variation: number };
    if (variation <= 0 && average + variation < 1) {
      return 'attributes: average_size + size_variation below 1 never finishes slicing on Toxiproxy (it recurses until it crashes); use an average_size of 1 or more';
    }
    if (variation > 0 && variation > average + 1) {
      return `attributes.size_variation: more than average_size + 1 (${average + 1}) makes Toxiproxy cut out of bounds and crash`;
    }
  }
  return null;
}

/**
 * The toxic types the embedded proxy implements and the attributes of each, as Toxiproxy 2.12 names them. Missing
 * attributes are 0, as in Go's JSON decoding. Values with which the real server would crash or spin (a negative
 * jitter, a zero or negative bandwidth rate, a zero slice size, a variation not smaller than the slice size) are
 * rejected here, and so are negative numbers in general: the API answers 400 instead.
 */
import { z } from 'zod';

const count = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int({ error: `${what} must be an integer` })
    .min(0, { error: `${what} must be 0 or more` })
    .default(0);

export const toxicAttributeSchemas = {
  noop: z.object({}),
  latency: z.object({ latency: count('latency (ms)'), jitter: count('jitter (ms)') }),
  bandwidth: z.object({
    rate: z
      .number({ error: 'rate (KB/s) must be a number' })
      .int({ error: 'rate (KB/s) must be an integer' })
      .min(1, { error: 'rate (KB/s) must be 1 or more (0 would stall the connection forever)' }),
  }),
  slow_close: z.object({ delay: count('delay (ms)') }),
  timeout: z.object({ timeout: count('timeout (ms)') }),
  reset_peer: z.object({ timeout: count('timeout (ms)') }),
  slicer: z
    .object({
      average_size: z
        .number({ error: 'average_size must be a number' })
        .int({ error: 'average_size must be an integer' })
        .min(1, { error: 'average_size must be 1 or more' }),
      size_variation: count('size_variation (bytes)'),
      delay: count('delay (µs)'),
    })
    .refine((a) => a.size_variation < a.average_size, {
      error: 'size_variation must be smaller than average_size',
    }),
  limit_data: z.object({ bytes: count('bytes') }),
} as const;

export type ToxicType = keyof typeof toxicAttributeSchemas;
export const TOXIC_TYPES = Object.keys(toxicAttributeSchemas) as ToxicType[];

export type ToxicAttributes = {
  [K in ToxicType]: z.output<(typeof toxicAttributeSchemas)[K]>;
};

export type Stream = 'upstream' | 'downstream';

/** A toxic as the API shows it. */
export interface ToxicJson {
  attributes: Record<string, number>;
  name: string;
  type: ToxicType;
  stream: Stream;
  toxicity: number;
}

export function isToxicType(value: unknown): value is ToxicType {
  return typeof value === 'string' && Object.hasOwn(toxicAttributeSchemas, value);
}

/** Validates attributes for a type; returns the attributes with every field filled in, or a message. */
export function parseAttributes(
  type: ToxicType,
  raw: unknown,
): { ok: true; attributes: Record<string, number> } | { ok: false; message: string } {
  const result = toxicAttributeSchemas[type].safeParse(raw ?? {});
  if (result.success) return { ok: true, attributes: result.data as Record<string, number> };
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `attributes.${issue.path.join('.')}: ` : 'attributes: ';
  return { ok: false, message: `${where}${issue?.message ?? 'invalid'}` };
}

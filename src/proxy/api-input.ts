/**
 * Reading request bodies the way Toxiproxy's Go JSON decoding does: fields of the wrong type are a 400
 * "bad request body", unknown fields are ignored, missing fields take defaults.
 */
import type { IncomingMessage } from 'node:http';
import { ApiError, ErrBadRequestBody, ErrInvalidStream, ErrInvalidToxicType, ErrMissingField } from './api-error.js';
import type { ProxyInput } from './collection.js';
import { isToxicType, parseAttributes, type Stream, type ToxicType } from './toxic-types.js';

/** Request bodies larger than this are refused: the API takes small JSON documents only. */
const MAX_BODY_BYTES = 1 << 20;

export async function readJson(request: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of request as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > MAX_BODY_BYTES) throw ApiError.join(ErrBadRequestBody, 'body too large');
    parts.push(part);
  }
  const text = Buffer.concat(parts).toString('utf8');
  if (text.trim() === '') throw ApiError.join(ErrBadRequestBody, 'EOF');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw ApiError.join(ErrBadRequestBody, (error as Error).message);
  }
}

type Fields = Record<string, unknown>;

function object(value: unknown, what: string): Fields {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw ApiError.join(ErrBadRequestBody, `cannot unmarshal ${describe(value)} into ${what}`);
  }
  return value as Fields;
}

function field<T extends 'string' | 'number' | 'boolean'>(
  body: Fields,
  key: string,
  type: T,
  fallback: T extends 'string' ? string : T extends 'number' ? number : boolean,
): T extends 'string' ? string : T extends 'number' ? number : boolean {
  const value = body[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== type) throw ApiError.join(ErrBadRequestBody, `field "${key}" must be a ${type}, not ${describe(value)}`);
  return value as never;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A proxy to create: `name` and `upstream` required, `enabled` true unless given. */
export function proxyInput(value: unknown, where = ''): ProxyInput {
  const body = object(value, 'a proxy');
  const input = {
    name: field(body, 'name', 'string', ''),
    listen: field(body, 'listen', 'string', ''),
    upstream: field(body, 'upstream', 'string', ''),
    enabled: field(body, 'enabled', 'boolean', true),
  };
  if (where === '' && input.name === '') throw ApiError.join(ErrMissingField, 'name');
  if (where === '' && input.upstream === '') throw ApiError.join(ErrMissingField, 'upstream');
  return input;
}

export function populateInput(value: unknown): ProxyInput[] {
  if (!Array.isArray(value)) throw ApiError.join(ErrBadRequestBody, `cannot unmarshal ${describe(value)} into a list of proxies`);
  return value.map((item, i) => proxyInput(item, `proxy ${i + 1}`));
}

/** A proxy update: each field defaults to the proxy's current value. */
export function proxyUpdate(value: unknown, current: { listen: string; upstream: string; enabled: boolean }) {
  const body = object(value, 'a proxy');
  return {
    listen: field(body, 'listen', 'string', current.listen),
    upstream: field(body, 'upstream', 'string', current.upstream),
    enabled: field(body, 'enabled', 'boolean', current.enabled),
  };
}

export interface ToxicInput {
  name: string;
  type: ToxicType;
  stream: Stream;
  toxicity: number;
  attributes: Record<string, number>;
}

/** A toxic to create, checked in Toxiproxy's order: stream, then type, then attributes. */
export function toxicInput(value: unknown): ToxicInput {
  const body = object(value, 'a toxic');
  const streamText = field(body, 'stream', 'string', 'downstream').toLowerCase();
  if (streamText !== 'upstream' && streamText !== 'downstream') throw ErrInvalidStream;
  const stream: Stream = streamText;
  const type = field(body, 'type', 'string', '');
  if (!isToxicType(type)) throw ErrInvalidToxicType;
  const name = field(body, 'name', 'string', '') || `${type}_${stream}`;
  const toxicity = field(body, 'toxicity', 'number', 1);
  const attributes = parseAttributes(type, body.attributes === null ? undefined : body.attributes);
  if (!attributes.ok) throw ApiError.join(ErrBadRequestBody, attributes.message);
  return { name, type, stream, toxicity, attributes: attributes.attributes };
}

/** A toxic update: attributes merge into the current ones; toxicity defaults to the current one. */
export function toxicUpdate(value: unknown, current: { type: ToxicType; attributes: Record<string, number>; toxicity: number }) {
  const body = object(value, 'a toxic');
  const given = body.attributes === undefined || body.attributes === null ? {} : object(body.attributes, 'toxic attributes');
  const attributes = parseAttributes(current.type, { ...current.attributes, ...given });
  if (!attributes.ok) throw ApiError.join(ErrBadRequestBody, attributes.message);
  return { attributes: attributes.attributes, toxicity: field(body, 'toxicity', 'number', current.toxicity) };
}

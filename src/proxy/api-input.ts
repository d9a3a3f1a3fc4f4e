/**
 * Request bodies of the Toxiproxy API, read as Toxiproxy 2.12 reads them (Go's JSON decoder into its structs): the
 * same defaults, the same order of checks, the same error texts. What differs on purpose is `refusal` (toxic-types).
 */
import type { IncomingMessage } from 'node:http';
import { ApiError, ErrBadRequestBody, ErrInvalidStream, ErrInvalidToxicType, ErrMissingField } from './api-error.js';
import type { ProxyInput } from './collection.js';
import { decodeGoArray, decodeGoStruct, GoTypeError, type GoFields, type GoStruct } from './go-json-decode.js';
import { GoJsonSyntaxError, parseGoJson, type GoJson } from './go-json-parse.js';
import { attributesStruct, isToxicType, refusal, zeroAttributes, type Stream, type ToxicAttributes, type ToxicType } from './toxic-types.js';

/** Request bodies larger than this are refused: the API takes small JSON documents only. */
const MAX_BODY_BYTES = 10 << 20;

const PROXY_FIELDS = { name: 'string', listen: 'string', upstream: 'string', enabled: 'bool' } as const;
const PROXY: GoStruct = { typeName: 'toxiproxy.Proxy', structName: 'Proxy', fields: PROXY_FIELDS };
const POPULATE_ITEM: GoStruct = { typeName: 'struct { toxiproxy.Proxy; Enabled *bool "json:\\"enabled\\"" }', structName: '', fields: PROXY_FIELDS };
const NOOP_ATTRIBUTES: GoStruct = { typeName: 'toxics.NoopToxic', structName: 'NoopToxic', fields: {} };
const TOXIC_WRAPPER: GoStruct = {
  typeName: 'toxics.ToxicWrapper',
  structName: 'ToxicWrapper',
  fields: { attributes: NOOP_ATTRIBUTES, name: 'string', type: 'string', stream: 'string', toxicity: 'float32' },
};
const toxicAttributesOnly = (type: ToxicType): GoStruct => ({
  typeName: 'struct { Attributes interface {} "json:\\"attributes\\"" }',
  structName: '',
  fields: { attributes: attributesStruct(type) },
});
const toxicUpdateStruct = (type: ToxicType): GoStruct => ({
  typeName: 'struct { Attributes interface {} "json:\\"attributes\\""; Toxicity float32 "json:\\"toxicity\\"" }',
  structName: '',
  fields: { attributes: attributesStruct(type), toxicity: 'float32' },
});

/** The body as Go's decoder sees its first JSON value; syntax errors are 400 "bad request body: ...". */
export async function readBody(request: IncomingMessage): Promise<GoJson> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of request as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > MAX_BODY_BYTES) throw ApiError.join(ErrBadRequestBody, 'http: request body too large');
    parts.push(part);
  }
  return parseBody(Buffer.concat(parts));
}

export function parseBody(bytes: Uint8Array): GoJson {
  try {
    return parseGoJson(bytes);
  } catch (error) {
    if (error instanceof GoJsonSyntaxError) throw ApiError.join(ErrBadRequestBody, error.message);
    throw error;
  }
}

/** Decodes with Go's rules; a value of the wrong type is 400 "bad request body: json: cannot unmarshal ...". */
function decode<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof GoTypeError) throw ApiError.join(ErrBadRequestBody, error.message);
    throw error;
  }
}

function toProxyInput(fields: GoFields): ProxyInput {
  return {
    name: (fields.name as string | undefined) ?? '',
    listen: (fields.listen as string | undefined) ?? '',
    upstream: (fields.upstream as string | undefined) ?? '',
    enabled: (fields.enabled as boolean | undefined) ?? true,
  };
}

/** POST /proxies: `name` and `upstream` required, `enabled` true unless given. */
export function proxyInput(body: GoJson): ProxyInput {
  const input = toProxyInput(decode(() => decodeGoStruct(body, PROXY)));
  if (input.name === '') throw ApiError.join(ErrMissingField, 'name');
  if (input.upstream === '') throw ApiError.join(ErrMissingField, 'upstream');
  return input;
}

/** A list of proxies given as a JavaScript value (a parsed `--config` file), read as POST /populate reads it. */
export function populateInput(value: unknown): ProxyInput[] {
  return populateBody(fromJavaScript(value));
}

/** POST /populate: a list of proxies (null: none), each with a name and an upstream, checked before any change. */
export function populateBody(body: GoJson): ProxyInput[] {
  const inputs = (decode(() => decodeGoArray(body, POPULATE_ITEM, `[]${POPULATE_ITEM.typeName}`)) ?? []).map(toProxyInput);
  inputs.forEach((input, i) => {
    if (input.name === '') throw ApiError.join(ErrMissingField, `name at proxy ${i + 1}`);
    if (input.upstream === '') throw ApiError.join(ErrMissingField, `upstream at proxy ${i + 1}`);
  });
  return inputs;
}

/** PATCH /proxies/{name}: each field defaults to the proxy's current value; `name` cannot change. */
export function proxyUpdate(body: GoJson, current: { listen: string; upstream: string; enabled: boolean }) {
  const fields = decode(() => decodeGoStruct(body, PROXY));
  return {
    listen: (fields.listen as string | undefined) ?? current.listen,
    upstream: (fields.upstream as string | undefined) ?? current.upstream,
    enabled: (fields.enabled as boolean | undefined) ?? current.enabled,
  };
}

export interface ToxicInput {
  name: string;
  type: ToxicType;
  /** The direction; `streamText` is the stream as the client wrote it (`UPSTREAM`), which the API shows back. */
  stream: Stream;
  streamText: string;
  toxicity: number;
  attributes: ToxicAttributes;
}

/**
 * POST /proxies/{name}/toxics, checked in Toxiproxy's order: the body's field types, the stream, the type, the
 * name (`exists` answers whether it is taken: 409), then the attributes of that type.
 */
export function toxicInput(body: GoJson, exists: (name: string) => boolean): ToxicInput {
  const wrapper = decode(() => decodeGoStruct(body, TOXIC_WRAPPER));
  const streamText = (wrapper.stream as string | undefined) ?? 'downstream';
  const stream = streamText.toLowerCase();
  if (stream !== 'upstream' && stream !== 'downstream') throw ErrInvalidStream;
  const type = (wrapper.type as string | undefined) ?? '';
  const name = (wrapper.name as string | undefined) || `${type}_${streamText}`;
  if (!isToxicType(type)) throw ErrInvalidToxicType;
  if (exists(name)) throw new ApiError('toxic already exists', 409);
  const given = decode(() => decodeGoStruct(body, toxicAttributesOnly(type))).attributes as GoFields | undefined;
  const attributes = checked(type, { ...zeroAttributes(type), ...numbers(given) });
  return { name, type, stream, streamText, toxicity: (wrapper.toxicity as number | undefined) ?? 1, attributes };
}

/** PATCH /proxies/{p}/toxics/{t}: attributes merge into the current ones; toxicity defaults to the current one. */
export function toxicUpdate(body: GoJson, current: { type: ToxicType; attributes: ToxicAttributes; toxicity: number }) {
  const fields = decode(() => decodeGoStruct(body, toxicUpdateStruct(current.type)));
  const attributes = checked(current.type, { ...current.attributes, ...numbers(fields.attributes as GoFields | undefined) });
  return { attributes, toxicity: (fields.toxicity as number | undefined) ?? current.toxicity };
}

function numbers(fields: GoFields | undefined): ToxicAttributes {
  return Object.fromEntries(Object.entries(fields ?? {}).map(([key, value]) => [key, Number(value as bigint)]));
}

function checked(type: ToxicType, attributes: ToxicAttributes): ToxicAttributes {
  const why = refusal(type, attributes);
  if (why !== null) throw ApiError.join(ErrBadRequestBody, why);
  return attributes;
}

function fromJavaScript(value: unknown): GoJson {
  if (value === null || value === undefined) return { kind: 'null' };
  if (typeof value === 'string') return { kind: 'string', value };
  if (typeof value === 'number') return { kind: 'number', literal: String(value) };
  if (typeof value === 'boolean') return { kind: 'bool', value };
  if (Array.isArray(value)) return { kind: 'array', items: value.map(fromJavaScript) };
  return { kind: 'object', entries: Object.entries(value).map(([k, v]) => [k, fromJavaScript(v)]) };
}

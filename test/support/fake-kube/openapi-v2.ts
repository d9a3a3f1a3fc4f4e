/**
 * `/openapi/v2` as kubectl reads it: a gnostic `openapi.v2.Document` in protobuf (kubectl asks for
 * `application/com.github.proto-openapi.spec.v2@v1.0+protobuf` and decodes nothing else). Encoded by hand, field
 * numbers from gnostic's OpenAPIv2.proto: only what kubectl's schema validation reads (definitions with their
 * properties, types, required fields, items, additionalProperties, enums and the group-version-kind extension).
 */
import type { SwaggerSchema } from './openapi-v2-schemas.js';

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/** A length-delimited field (wire type 2): strings and embedded messages. */
function field(num: number, payload: Buffer | string): Buffer {
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([Buffer.from([...varint((num << 3) | 2), ...varint(bytes.length)]), bytes]);
}

/** openapi.v2.Any carrying YAML (its field 2). */
const anyYaml = (yaml: string) => field(2, yaml);

function schema(s: SwaggerSchema): Buffer {
  const parts: Buffer[] = [];
  if (s.$ref) parts.push(field(1, s.$ref));
  if (s.format) parts.push(field(2, s.format));
  if (s.description) parts.push(field(4, s.description));
  for (const r of s.required ?? []) parts.push(field(19, r));
  for (const e of s.enum ?? []) parts.push(field(20, anyYaml(`${JSON.stringify(e)}\n`)));
  if (s.additionalProperties) parts.push(field(21, field(1, schema(s.additionalProperties))));
  if (s.type) parts.push(field(22, field(1, s.type)));
  if (s.items) parts.push(field(23, field(1, schema(s.items))));
  if (s.properties) {
    parts.push(field(25, Buffer.concat(Object.entries(s.properties).map(([name, p]) => field(1, Buffer.concat([field(1, name), field(2, schema(p))]))))));
  }
  const gvk = s['x-kubernetes-group-version-kind'];
  if (gvk) {
    const yaml = gvk.map((g) => `- group: ${JSON.stringify(g.group)}\n  kind: ${g.kind}\n  version: ${g.version}\n`).join('');
    parts.push(field(31, Buffer.concat([field(1, 'x-kubernetes-group-version-kind'), field(2, anyYaml(yaml))])));
  }
  return Buffer.concat(parts);
}

export function openApiV2Protobuf(definitions: Record<string, SwaggerSchema>): Buffer {
  const info = Buffer.concat([field(1, 'Kubernetes (fake)'), field(2, 'v1.30.0')]);
  const defs = Buffer.concat(Object.entries(definitions).map(([name, s]) => field(1, Buffer.concat([field(1, name), field(2, schema(s))]))));
  return Buffer.concat([field(1, '2.0'), field(2, info), field(8, Buffer.alloc(0)), field(9, defs)]);
}

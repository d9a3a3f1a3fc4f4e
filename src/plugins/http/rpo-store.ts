/**
 * The RPO writer and reader over HTTP: a write sends the record (2xx = acknowledged), a read asks for it by id
 * (2xx = present, 404 = missing, anything else or no answer = could not tell). `{id}` in the URL and body is the
 * record's id.
 */
import { z } from 'zod';
import type { RpoRole, RpoStoreType } from '../api.js';
import { perRecordStore } from '../shared/per-record-store.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

function endpointSchema(role: RpoRole) {
  return z.strictObject({
    url: z.string().min(1).meta({ description: role === 'writer' ? 'Where each record is written' : 'Where a record is read back: `{id}` is its id' }),
    method: z.enum(METHODS).default(role === 'writer' ? 'POST' : 'GET'),
    headers: z.record(z.string(), z.string()).default({}),
    body: z.string().optional().meta({ description: '`{id}` is replaced by the record id; default {"id": <id>} for writes' }),
  });
}

export type HttpRpoEndpoint = z.output<ReturnType<typeof endpointSchema>>;

export const httpRpoStore: RpoStoreType<HttpRpoEndpoint> = {
  endpoint: endpointSchema,
  open: (endpoint, options) => perRecordStore((id, op) => call(endpoint, id, op === 'write', options.timeoutMs)),
};

async function call(endpoint: HttpRpoEndpoint, id: number, isWrite: boolean, timeoutMs: number): Promise<boolean | null> {
  const fill = (text: string) => text.replaceAll('{id}', String(id));
  const body = endpoint.body !== undefined ? fill(endpoint.body) : isWrite ? JSON.stringify({ id }) : undefined;
  const headers = { ...(isWrite && endpoint.body === undefined ? { 'content-type': 'application/json' } : {}), ...endpoint.headers };
  try {
    const res = await fetch(fill(endpoint.url), { method: endpoint.method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    if (res.status >= 200 && res.status < 300) return true;
    return !isWrite && res.status === 404 ? false : null;
  } catch {
    return null;
  }
}

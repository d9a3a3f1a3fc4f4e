/**
 * The RPO writer and reader over HTTP: a write sends the record (2xx = acknowledged), a read asks for it by id
 * (2xx = present, 404 = missing, anything else or no answer = could not tell). `{id}` in the URL and body is the
 * record's id.
 */
import { defineRpoStore, type EndpointOf } from '../api.js';
// fetch goes through undici 7's pool, not Node's bundled one (see there).
import '../../os/fetch-dispatcher.js';
import { perRecordStore } from '../shared/per-record-store.js';
import { httpRpoStoreSpec } from './specs.js';

type HttpRpoEndpoint = EndpointOf<typeof httpRpoStoreSpec>;

export const httpRpoStore = defineRpoStore({
  ...httpRpoStoreSpec,
  open: (endpoint, options) => perRecordStore((id, op) => call(endpoint, id, op === 'write', options.timeoutMs)),
});

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

/**
 * Calls to a lab's admin API (`/admin/*` on its router, always on 127.0.0.1). A failed call is an error naming
 * the route and the lab's answer.
 */
// fetch goes through undici 7's pool, not Node's bundled one (see there).
import '../../os/fetch-dispatcher.js';

export async function labAdmin<T>(url: string, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
    signal: signal ?? null,
  });
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try {
      message = (JSON.parse(text) as { error?: string }).error ?? text;
    } catch {
      // not JSON: keep the text
    }
    throw new Error(`lab ${method} ${path}: ${response.status} ${message}`);
  }
  return JSON.parse(text) as T;
}

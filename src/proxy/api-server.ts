/**
 * The HTTP side of the embedded Toxiproxy API, answering as Toxiproxy 2.12's Go server does (gorilla/mux and
 * net/http): a path that is not clean is redirected (301); an unknown path is a plain-text 404 and a known path
 * with another method an empty 405, both before any middleware; every routed answer carries an
 * `X-Toxiproxy-Request-Id` (an xid); browsers get 403; JSON answers have no trailing newline, error answers are
 * `text/plain` with `X-Content-Type-Options: nosniff` and end with a newline, because Go writes them with http.Error.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { posix } from 'node:path';
import { newState, Xid, type XidState } from 'xid-ts';
import { ApiError } from './api-error.js';
import { apiRoutes, type Reply, type Route } from './api-routes.js';
import type { ProxyCollection } from './collection.js';
import { writeGoJson } from './go-json-write.js';
import { TOXIPROXY_API_VERSION } from './version.js';

const TEXT = 'text/plain; charset=utf-8';

/** An HTTP server answering the Toxiproxy API for `collection` (not yet listening). */
export function createApiServer(collection: ProxyCollection): Server {
  const routes = apiRoutes(collection);
  const ids = newState();
  return createServer((request, response) => {
    void handle(routes, ids, request, response);
  });
}

async function handle(routes: Route[], ids: XidState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const [rawPath = '/', query] = splitOnce(request.url ?? '/', '?');
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    send(response, 400, {}, '400 Bad Request');
    return;
  }
  const clean = cleanPath(path);
  if (clean !== path) {
    send(response, 301, { location: encodeURI(clean) + (query === undefined ? '' : `?${query}`) }, '');
    return;
  }
  const segments = path.split('/').slice(1);
  const matched = routes.filter((route) => route.path.length === segments.length && route.path.every((p, i) => p === '*' ? segments[i] !== '' : p === segments[i]));
  if (matched.length === 0) {
    send(response, 404, { 'content-type': TEXT, 'x-content-type-options': 'nosniff' }, '404 page not found\n');
    return;
  }
  const handler = matched.map((route) => route.methods[request.method ?? 'GET']).find((h) => h !== undefined);
  if (handler === undefined) {
    send(response, 405, {}, '');
    return;
  }
  const requestId = new Xid(undefined, ids).toString();
  // Like Toxiproxy: refuse browsers, so a web page cannot drive the proxy through the user's browser.
  if ((request.headers['user-agent'] ?? '').startsWith('Mozilla/')) {
    sendError(response, requestId, 403, 'User agent not allowed');
    return;
  }
  const params = segments.filter((_s, i) => matched[0].path[i] === '*');
  let reply: Reply;
  try {
    reply = await handler(params, request);
  } catch (error) {
    const apiError = error instanceof ApiError ? error : new ApiError(error instanceof Error ? error.message : String(error), 500);
    sendError(response, requestId, apiError.status, writeGoJson({ error: apiError.message, status: apiError.status }));
    return;
  }
  const id = { 'x-toxiproxy-request-id': requestId };
  switch (reply.kind) {
    case 'version':
      send(response, 200, { 'content-type': 'application/json;charset=utf-8', ...id }, `{"version": "${TOXIPROXY_API_VERSION}"}\n`);
      return;
    case 'empty':
      send(response, reply.status, id, '');
      return;
    case 'json':
    case 'populate':
      send(response, reply.status, { 'content-type': 'application/json', ...id }, writeGoJson(reply.body));
  }
}

/** An answer written as Go's http.Error writes it. */
function sendError(response: ServerResponse, requestId: string, status: number, text: string): void {
  send(response, status, { 'content-type': TEXT, 'x-content-type-options': 'nosniff', 'x-toxiproxy-request-id': requestId }, `${text}\n`);
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  if (response.headersSent) return;
  const bytes = Buffer.from(body);
  response.writeHead(status, { ...headers, 'content-length': String(bytes.length) });
  response.end(bytes);
}

/** gorilla/mux's cleanPath: path.Clean, keeping a trailing slash. */
function cleanPath(path: string): string {
  if (path === '') return '/';
  const rooted = path.startsWith('/') ? path : `/${path}`;
  const clean = posix.normalize(rooted).replace(/\/+$/, '') || '/';
  return rooted.endsWith('/') && clean !== '/' ? `${clean}/` : clean;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

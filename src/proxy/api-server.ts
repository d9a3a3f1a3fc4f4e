/**
 * The Toxiproxy 2.12 HTTP API over a ProxyCollection: the same routes, JSON shapes, status codes and error bodies,
 * so toxiproxy-node-client, toxiproxy-cli and the Go client drive the embedded proxy as they drive the real one.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApiError, ErrToxicNotFound } from './api-error.js';
import { populateInput, proxyInput, proxyUpdate, readJson, toxicInput, toxicUpdate } from './api-input.js';
import type { ProxyCollection } from './collection.js';
import { TOXIPROXY_API_VERSION } from './version.js';

type Handler = (params: string[], request: IncomingMessage) => Promise<Reply>;

interface Reply {
  status: number;
  /** JSON body; undefined for an empty body. */
  body?: unknown;
}

interface Route {
  pattern: RegExp;
  methods: Record<string, Handler>;
}

const NAME = '([^/]+)';

function routes(collection: ProxyCollection): Route[] {
  const ok = (body: unknown, status = 200): Reply => ({ status, body });
  const noContent: Reply = { status: 204 };

  const updateProxy: Handler = async ([name], request) => {
    const proxy = collection.get(name!);
    const input = proxyUpdate(await readJson(request), proxy);
    if (input.listen !== proxy.listen || input.upstream !== proxy.upstream) {
      await proxy.stop();
      proxy.listen = input.listen;
      proxy.upstream = input.upstream;
    }
    if (input.enabled && !proxy.enabled) await proxy.start();
    if (!input.enabled && proxy.enabled) await proxy.stop();
    return ok(proxy);
  };
  const updateToxic: Handler = async ([name, toxicName], request) => {
    const proxy = collection.get(name!);
    const toxic = proxy.getToxic(toxicName!);
    if (!toxic) throw ErrToxicNotFound;
    const change = toxicUpdate(await readJson(request), toxic);
    proxy.updateToxic(toxic.name, change);
    return ok(proxy.toxicList().find((t) => t.name === toxic.name));
  };

  return [
    { pattern: /^\/version$/, methods: { GET: async () => ok({ version: TOXIPROXY_API_VERSION }) } },
    {
      pattern: /^\/reset$/,
      methods: {
        POST: async () => {
          await collection.reset();
          return noContent;
        },
      },
    },
    {
      pattern: /^\/proxies$/,
      methods: {
        GET: async () => ok(Object.fromEntries(collection.list().map((p) => [p.name, p]))),
        POST: async (_params, request) => ok(await collection.add(proxyInput(await readJson(request))), 201),
      },
    },
    {
      pattern: /^\/populate$/,
      methods: {
        POST: async (_params, request) => {
          const { proxies, error } = await collection.populate(populateInput(await readJson(request)));
          if (error) return { status: error.status, body: { ...error.toJSON(), proxies } };
          return ok({ proxies }, 201);
        },
      },
    },
    {
      pattern: new RegExp(`^/proxies/${NAME}$`),
      methods: {
        GET: async ([name]) => ok(collection.get(name!)),
        POST: updateProxy,
        PATCH: updateProxy,
        DELETE: async ([name]) => {
          await collection.remove(name!);
          return noContent;
        },
      },
    },
    {
      pattern: new RegExp(`^/proxies/${NAME}/toxics$`),
      methods: {
        GET: async ([name]) => ok(collection.get(name!).toxicList()),
        POST: async ([name], request) => {
          const proxy = collection.get(name!);
          const input = toxicInput(await readJson(request));
          proxy.addToxic({ ...input });
          return ok(proxy.toxicList().find((t) => t.name === input.name));
        },
      },
    },
    {
      pattern: new RegExp(`^/proxies/${NAME}/toxics/${NAME}$`),
      methods: {
        GET: async ([name, toxicName]) => {
          const toxic = collection.get(name!).toxicList().find((t) => t.name === toxicName);
          if (!toxic) throw ErrToxicNotFound;
          return ok(toxic);
        },
        POST: updateToxic,
        PATCH: updateToxic,
        DELETE: async ([name, toxicName]) => {
          collection.get(name!).removeToxic(toxicName!);
          return noContent;
        },
      },
    },
  ];
}

/** An HTTP server answering the Toxiproxy API for `collection` (not yet listening). */
export function createApiServer(collection: ProxyCollection): Server {
  const table = routes(collection);
  return createServer((request, response) => {
    void handle(table, request, response);
  });
}

async function handle(table: Route[], request: IncomingMessage, response: ServerResponse): Promise<void> {
  // Like Toxiproxy: refuse browsers, so a web page cannot drive the proxy through the user's browser.
  if ((request.headers['user-agent'] ?? '').startsWith('Mozilla/')) {
    send(response, 403, 'User agent not allowed\n', 'text/plain; charset=utf-8');
    return;
  }
  const path = (request.url ?? '/').split('?')[0]!;
  for (const route of table) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    const handler = route.methods[request.method ?? 'GET'];
    if (!handler) {
      send(response, 405, '', 'text/plain; charset=utf-8');
      return;
    }
    try {
      const params = match.slice(1).map((p) => decodeURIComponent(p));
      const reply = await handler(params, request);
      if (reply.body === undefined) send(response, reply.status, '', undefined);
      else send(response, reply.status, `${JSON.stringify(reply.body)}\n`, 'application/json');
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(error instanceof Error ? error.message : String(error), 500);
      send(response, apiError.status, `${JSON.stringify(apiError)}\n`, 'application/json');
    }
    return;
  }
  send(response, 404, '404 page not found\n', 'text/plain; charset=utf-8');
}

function send(response: ServerResponse, status: number, body: string, contentType: string | undefined): void {
  if (response.headersSent) return;
  const headers: Record<string, string> = {};
  if (contentType) headers['content-type'] = contentType;
  response.writeHead(status, headers);
  response.end(body);
}

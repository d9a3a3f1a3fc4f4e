/**
 * The Toxiproxy 2.12 API's routes over a ProxyCollection: what each handler does and what it answers. How answers
 * are written (headers, status lines, error bodies) is api-server's business.
 */
import type { IncomingMessage } from 'node:http';
import { ApiError, ErrToxicNotFound } from './api-error.js';
import { populateBody, proxyInput, proxyUpdate, readBody, toxicInput, toxicUpdate } from './api-input.js';
import type { ProxyCollection } from './collection.js';
import { Float32, type GoJsonValue } from './go-json-write.js';
import type { Proxy, ToxicJson } from './proxy.js';

export type Reply =
  | { kind: 'json'; status: number; body: GoJsonValue }
  | { kind: 'empty'; status: 204 }
  | { kind: 'version' }
  /** POST /populate answers its errors as JSON with the proxies done so far, not as an error body. */
  | { kind: 'populate'; status: number; body: GoJsonValue };

export type Handler = (params: string[], request: IncomingMessage) => Promise<Reply>;

export interface Route {
  /** Path segments; `*` matches one segment (a name). */
  path: string[];
  methods: Record<string, Handler>;
}

const json = (body: GoJsonValue, status = 200): Reply => ({ kind: 'json', status, body });
const noContent: Reply = { kind: 'empty', status: 204 };

export function toxicJson(toxic: ToxicJson): GoJsonValue {
  return { attributes: toxic.attributes, name: toxic.name, type: toxic.type, stream: toxic.stream, toxicity: new Float32(toxic.toxicity) };
}

export function proxyJson(proxy: Proxy): GoJsonValue {
  const { name, listen, upstream, enabled } = proxy;
  return { name, listen, upstream, enabled, toxics: proxy.toxicList().map(toxicJson) };
}

export function apiRoutes(collection: ProxyCollection): Route[] {
  const updateProxy: Handler = async ([name], request) => {
    const proxy = collection.get(name);
    await proxy.update(proxyUpdate(await readBody(request), proxy));
    return json(proxyJson(proxy));
  };
  const findToxic = (proxy: Proxy, name: string) => {
    const toxic = proxy.toxicList().find((t) => t.name === name);
    if (!toxic) throw ErrToxicNotFound;
    return toxic;
  };
  const updateToxic: Handler = async ([name, toxicName], request) => {
    const proxy = collection.get(name);
    const current = proxy.getToxic(toxicName);
    if (!current) throw ErrToxicNotFound;
    proxy.updateToxic(current.name, toxicUpdate(await readBody(request), current));
    return json(toxicJson(findToxic(proxy, current.name)));
  };

  return [
    { path: ['version'], methods: { GET: async () => ({ kind: 'version' }) } },
    {
      path: ['reset'],
      methods: {
        POST: async () => {
          await collection.reset();
          return noContent;
        },
      },
    },
    {
      path: ['proxies'],
      methods: {
        GET: async () => json(Object.fromEntries(collection.list().map((p) => [p.name, proxyJson(p)]))),
        POST: async (_params, request) => json(proxyJson(await collection.add(proxyInput(await readBody(request)))), 201),
      },
    },
    {
      path: ['populate'],
      methods: {
        POST: async (_params, request): Promise<Reply> => {
          const populated = (status: number, body: GoJsonValue): Reply => ({ kind: 'populate', status, body });
          let inputs;
          try {
            inputs = populateBody(await readBody(request));
          } catch (error) {
            if (!(error instanceof ApiError)) throw error;
            return populated(error.status, { error: error.message, status: error.status, proxies: null });
          }
          const { proxies, error } = await collection.populate(inputs);
          const list = proxies.length === 0 ? null : proxies.map(proxyJson);
          if (error) return populated(error.status, { error: error.message, status: error.status, proxies: list });
          return populated(201, { proxies: list });
        },
      },
    },
    {
      path: ['proxies', '*'],
      methods: {
        GET: async ([name]) => json(proxyJson(collection.get(name))),
        POST: updateProxy,
        PATCH: updateProxy,
        DELETE: async ([name]) => {
          await collection.remove(name);
          return noContent;
        },
      },
    },
    {
      path: ['proxies', '*', 'toxics'],
      methods: {
        GET: async ([name]) => json(collection.get(name).toxicList().map(toxicJson)),
        POST: async ([name], request) => {
          const proxy = collection.get(name);
          const input = toxicInput(await readBody(request), (toxic) => proxy.getToxic(toxic) !== undefined);
          proxy.addToxic(input);
          return json(toxicJson(findToxic(proxy, input.name)));
        },
      },
    },
    {
      path: ['proxies', '*', 'toxics', '*'],
      methods: {
        GET: async ([name, toxicName]) => json(toxicJson(findToxic(collection.get(name), toxicName))),
        POST: updateToxic,
        PATCH: updateToxic,
        DELETE: async ([name, toxicName]) => {
          collection.get(name).removeToxic(toxicName);
          return noContent;
        },
      },
    },
  ];
}

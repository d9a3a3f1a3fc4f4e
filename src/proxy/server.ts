/**
 * The embedded Toxiproxy-compatible server: the HTTP API plus the proxies it manages, started on `host:port`
 * (port 0: the OS picks one). Used standalone by `chaos proxy serve` and in-process by a `toxiproxy` target
 * without `url`.
 */
import type { AddressInfo } from 'node:net';
import { formatHostPort } from './address.js';
import { createApiServer } from './api-server.js';
import { ProxyCollection, type ProxyInput } from './collection.js';

export interface ToxiproxyServer {
  /** e.g. `http://127.0.0.1:8474`. */
  url: string;
  host: string;
  port: number;
  collection: ProxyCollection;
  /** Stops every proxy (cutting their connections) and the API. Idempotent. */
  close(): Promise<void>;
}

export interface ServerOptions {
  host: string;
  port: number;
  /** Proxies to create before the API answers (like toxiproxy-server --config). */
  proxies?: ProxyInput[];
}

export async function startToxiproxyServer(options: ServerOptions): Promise<ToxiproxyServer> {
  const collection = new ProxyCollection();
  if (options.proxies && options.proxies.length > 0) {
    const { error } = await collection.populate(options.proxies);
    if (error) {
      await collection.clear();
      throw new Error(`cannot create the configured proxies: ${error.message}`);
    }
  }
  const http = createApiServer(collection);
  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen({ host: options.host, port: options.port }, () => resolve());
    });
  } catch (error) {
    await collection.clear();
    throw error;
  }
  const { port } = http.address() as AddressInfo;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${formatHostPort(options.host, port)}`,
    host: options.host,
    port,
    collection,
    close() {
      closing ??= (async () => {
        await collection.clear();
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
      })();
      return closing;
    },
  };
}

/**
 * The lab's proxies on a remote Toxiproxy (the real one in docker-compose, or `chaos proxy serve`), driven over its
 * HTTP API: `GET /proxies`, `PATCH /proxies/{name}` with `{"enabled"}`, `POST /proxies/{name}/toxics`,
 * `DELETE /proxies/{name}/toxics/{toxic}`. The router asks `addressOf` on every request, so the proxies are cached:
 * refreshed after every change the lab makes and every `refreshMs`, since someone may also use `toxiproxy.*`
 * faults on the same Toxiproxy directly.
 */
import { parseHostPort, type HostPort } from '../proxy/address.js';
import type { ProxyJson } from '../proxy/proxy.js';
import type { LabProxies, LatencyToxic } from './lab-proxies.js';

const TIMEOUT_MS = 2_000;
const WILDCARD_HOSTS = new Set(['', '0.0.0.0', '::', '[::]']);

export interface RemoteProxiesOptions {
  /** e.g. `http://toxiproxy:8474`. */
  apiUrl: string;
  /** The proxies the lab needs; `start` fails while any is missing. */
  names: readonly string[];
  refreshMs: number;
}

export class RemoteProxies implements LabProxies {
  #cache = new Map<string, ProxyJson>();
  #timer: NodeJS.Timeout | null = null;
  /** A proxy listening on every interface is reached at the API's host (`toxiproxy` in compose). */
  readonly #apiHost: string;

  readonly #options: RemoteProxiesOptions;

  constructor(options: RemoteProxiesOptions) {
    this.#options = options;
    this.#apiHost = new URL(options.apiUrl).hostname.replace(/^\[(.*)\]$/, '$1');
  }

  get apiUrl(): string {
    return this.#options.apiUrl;
  }

  /** Loads the proxies and checks the lab's are all there; then keeps the cache fresh. */
  async start(): Promise<void> {
    await this.refresh();
    const missing = this.#options.names.filter((n) => !this.#cache.has(n));
    if (missing.length > 0) {
      throw new Error(`Toxiproxy at ${this.#options.apiUrl} has no proxy ${missing.join(', ')}; it has: ${[...this.#cache.keys()].join(', ') || 'none'}`);
    }
    this.#timer = setInterval(() => void this.refresh().catch(() => undefined), this.#options.refreshMs);
  }

  async refresh(): Promise<void> {
    const proxies = await this.#call<Record<string, ProxyJson>>('GET', '/proxies');
    this.#cache = new Map(Object.entries(proxies));
  }

  addressOf(name: string): HostPort | null {
    const proxy = this.#cache.get(name);
    if (proxy === undefined || !proxy.enabled) return null;
    const listen = parseHostPort(proxy.listen);
    if (listen === null) return null;
    return { host: WILDCARD_HOSTS.has(listen.host) ? this.#apiHost : listen.host, port: listen.port };
  }

  describe(name: string): ProxyJson | null {
    return this.#cache.get(name) ?? null;
  }

  async setEnabled(name: string, enabled: boolean): Promise<boolean> {
    const before = await this.#call<ProxyJson>('GET', `/proxies/${encodeURIComponent(name)}`);
    if (before.enabled === enabled) {
      this.#cache.set(name, before);
      return false;
    }
    // PATCH: Toxiproxy 2.12 still takes POST here but logs it as deprecated.
    this.#cache.set(name, await this.#call<ProxyJson>('PATCH', `/proxies/${encodeURIComponent(name)}`, { enabled }));
    return true;
  }

  async addLatency(name: string, toxic: LatencyToxic): Promise<boolean> {
    const body = { name: toxic.name, type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: toxic.latencyMs, jitter: toxic.jitterMs } };
    const added = await this.#send('POST', `/proxies/${encodeURIComponent(name)}/toxics`, body, [409]);
    await this.refresh();
    return added.ok;
  }

  async removeToxic(name: string, toxic: string): Promise<boolean> {
    const removed = await this.#send('DELETE', `/proxies/${encodeURIComponent(name)}/toxics/${encodeURIComponent(toxic)}`, undefined, [404]);
    await this.refresh();
    return removed.ok;
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await this.#send(method, path, body)).body as T;
  }

  /** One API call; an answer with a status in `tolerated` is not an error, only not ok (409: exists, 404: gone). */
  async #send(method: string, path: string, body?: unknown, tolerated: number[] = []): Promise<{ ok: boolean; body: unknown }> {
    const response = await fetch(`${this.#options.apiUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await response.text();
    if (tolerated.includes(response.status)) return { ok: false, body: null };
    if (!response.ok) throw new Error(`Toxiproxy ${method} ${path}: ${response.status} ${text.trim()}`);
    return { ok: true, body: text === '' ? null : (JSON.parse(text) as unknown) };
  }
}

/**
 * The proxies of one server, by name, with Toxiproxy 2.12's semantics for create (409 on a duplicate name),
 * populate (each proxy in order: kept when its listen address and upstream are the same, else created or replaced;
 * stops at the first failure) and reset (every proxy enabled, every toxic removed).
 */
import { ApiError, ErrProxyAlreadyExists, ErrProxyNotFound } from './api-error.js';
import { Proxy } from './proxy.js';

/** Where a proxy without `listen` listens: loopback, a port the OS picks (never every interface by surprise). */
export const DEFAULT_LISTEN = '127.0.0.1:0';

export interface ProxyInput {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
}

export class ProxyCollection {
  readonly #proxies = new Map<string, Proxy>();

  /** Every proxy, in the order Toxiproxy lists them (by name, byte by byte, as Go sorts map keys). */
  list(): Proxy[] {
    return [...this.#proxies.values()].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  }

  get(name: string): Proxy {
    const proxy = this.#proxies.get(name);
    if (!proxy) throw ErrProxyNotFound;
    return proxy;
  }

  async add(input: ProxyInput): Promise<Proxy> {
    if (this.#proxies.has(input.name)) throw ErrProxyAlreadyExists;
    const proxy = new Proxy(input.name, input.listen || DEFAULT_LISTEN, input.upstream);
    if (input.enabled) await proxy.start();
    // Checked again: another request may have added the name while this one was binding its port.
    if (this.#proxies.has(input.name)) {
      await proxy.stop();
      throw ErrProxyAlreadyExists;
    }
    this.#proxies.set(input.name, proxy);
    return proxy;
  }

  /**
   * Creates, keeps or replaces each proxy in order; stops at the first failure and returns what was done before it
   * (a replaced proxy that appears twice in the list shows as disabled, as in Toxiproxy).
   */
  async populate(inputs: ProxyInput[]): Promise<{ proxies: Proxy[]; error: ApiError | null }> {
    const done: Proxy[] = [];
    for (const input of inputs) {
      const existing = this.#proxies.get(input.name);
      try {
        if (existing && (await existing.matches({ listen: input.listen || DEFAULT_LISTEN, upstream: input.upstream }))) {
          done.push(existing);
          continue;
        }
        if (existing) await this.remove(input.name);
        done.push(await this.add(input));
      } catch (error) {
        return { proxies: done, error: error instanceof ApiError ? error : new ApiError(String(error), 500) };
      }
    }
    return { proxies: done, error: null };
  }

  async remove(name: string): Promise<void> {
    const proxy = this.get(name);
    this.#proxies.delete(name);
    await proxy.stop();
  }

  /** Every proxy enabled again and every toxic removed. */
  async reset(): Promise<void> {
    for (const proxy of this.#proxies.values()) {
      await proxy.start();
      proxy.removeAllToxics();
    }
  }

  async clear(): Promise<void> {
    for (const name of [...this.#proxies.keys()]) await this.remove(name);
  }
}

/**
 * The proxies the lab puts in front of every instance and on the replication link, behind one small interface so
 * the same lab logic runs on the embedded proxy (in the lab process) or on a remote Toxiproxy (docker-compose,
 * where `remote-proxies.ts` drives the real one over its HTTP API). Region outage, partition and latency are
 * only ever these calls.
 */
import { parseHostPort, type HostPort } from '../proxy/address.js';
import type { ProxyJson } from '../proxy/proxy.js';
import { startToxiproxyServer, type ToxiproxyServer } from '../proxy/server.js';

export interface LatencyToxic {
  name: string;
  latencyMs: number;
  jitterMs: number;
}

export interface LabProxies {
  /** The Toxiproxy API the proxies are served by (for `toxiproxy.*` faults and the `proxyApi` attribute). */
  readonly apiUrl: string;
  /** Where a proxy listens now, as the lab reaches it; null while it is disabled (a region outage, a partition). */
  addressOf(name: string): HostPort | null;
  /** The proxy as Toxiproxy shows it (the admin status lists it). */
  describe(name: string): ProxyJson | null;
  /** Enables or disables a proxy; false when it already was. */
  setEnabled(name: string, enabled: boolean): Promise<boolean>;
  /** Adds a downstream latency toxic; false when one of that name is there already (a retried add). */
  addLatency(name: string, toxic: LatencyToxic): Promise<boolean>;
  /** Removes a toxic; false when it is not there. */
  removeToxic(name: string, toxic: string): Promise<boolean>;
  close(): Promise<void>;
}

/** The embedded proxy, in the lab process: one per instance, created pointing nowhere until the instance listens. */
export class EmbeddedProxies implements LabProxies {
  readonly #server: ToxiproxyServer;

  private constructor(server: ToxiproxyServer) {
    this.#server = server;
  }

  static async start(instances: readonly string[], replication: { name: string; upstream: string }): Promise<EmbeddedProxies> {
    const server = await startToxiproxyServer({ host: '127.0.0.1', port: 0 });
    try {
      await server.collection.add({ name: replication.name, listen: '127.0.0.1:0', upstream: replication.upstream, enabled: true });
      // Port 1 refuses: the supervisor points each proxy at its instance once that listens.
      for (const name of instances) await server.collection.add({ name, listen: '127.0.0.1:0', upstream: '127.0.0.1:1', enabled: true });
    } catch (error) {
      await server.close();
      throw error;
    }
    return new EmbeddedProxies(server);
  }

  get apiUrl(): string {
    return this.#server.url;
  }

  addressOf(name: string): HostPort | null {
    try {
      const proxy = this.#server.collection.get(name);
      return proxy.enabled ? parseHostPort(proxy.listen) : null;
    } catch {
      return null;
    }
  }

  describe(name: string): ProxyJson | null {
    try {
      return this.#server.collection.get(name).toJSON();
    } catch {
      return null;
    }
  }

  /** New connections go to the new process; the proxy itself (listen port, enabled state, toxics) stays. */
  pointAt(name: string, port: number): void {
    this.#server.collection.get(name).upstream = `127.0.0.1:${port}`;
  }

  async setEnabled(name: string, enabled: boolean): Promise<boolean> {
    const proxy = this.#server.collection.get(name);
    if (proxy.enabled === enabled) return false;
    if (enabled) await proxy.start();
    else await proxy.stop();
    return true;
  }

  async addLatency(name: string, toxic: LatencyToxic): Promise<boolean> {
    const proxy = this.#server.collection.get(name);
    if (proxy.getToxic(toxic.name)) return false;
    proxy.addToxic({ name: toxic.name, type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: toxic.latencyMs, jitter: toxic.jitterMs } });
    return true;
  }

  async removeToxic(name: string, toxic: string): Promise<boolean> {
    const proxy = this.#server.collection.get(name);
    if (!proxy.getToxic(toxic)) return false;
    proxy.removeToxic(toxic);
    return true;
  }

  close(): Promise<void> {
    return this.#server.close();
  }
}

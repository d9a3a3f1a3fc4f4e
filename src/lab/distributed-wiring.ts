/**
 * The distributed lab's wiring (docker-compose): instances under remote agents, proxies on a remote Toxiproxy,
 * each region's SQLite file on a volume shared with that region's agents. The proxies must exist already (the
 * Toxiproxy config creates them), with the replication proxy's upstream at this service's apply endpoint.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ControlConfig } from './lab-env.js';
import { REGIONS, REPLICATION_PROXY } from './contract/lab-settings.js';
import type { WireLab } from './lab.js';
import { RemoteInstances } from './remote-instances.js';
import { RemoteProxies } from './remote-proxies.js';

export function distributedWiring(config: ControlConfig): WireLab {
  return ({ regions }) => {
    const regionOf = (name: string) => REGIONS.find((r) => regions[r].includes(name)) ?? 'a';
    const names = REGIONS.flatMap((r) => regions[r]);
    return {
      instances: new RemoteInstances({
        agents: Object.fromEntries(names.map((n) => [n, config.agents[n]])),
        regionOf,
        startTimeoutMs: config.startTimeoutMs,
      }),
      dbPath: (region) => config.dbs[region],
      routerListen: config.listen,
      applyListen: config.applyListen,
      ...(config.publicUrl === undefined ? {} : { publicUrl: config.publicUrl }),
      ...(config.publicProxyApi === undefined ? {} : { publicProxyApi: config.publicProxyApi }),
      ...(config.publicProxyHost === undefined ? {} : { publicProxyHost: config.publicProxyHost }),
      async startProxies() {
        // Compose starts Toxiproxy alongside this service: wait for its API (and its configured proxies) a while.
        const deadline = Date.now() + config.startTimeoutMs;
        for (;;) {
          const proxies = new RemoteProxies({ apiUrl: config.toxiproxyUrl, names: [REPLICATION_PROXY, ...names], refreshMs: config.proxyRefreshMs });
          try {
            await proxies.start();
            return proxies;
          } catch (error) {
            if (Date.now() > deadline) throw error;
            await sleep(500);
          }
        }
      },
    };
  };
}

/**
 * Real PostgreSQL clusters for tests: a primary (with the `shop.orders` sample table) and optionally a streaming
 * standby, in a temp dir on OS-chosen ports, run as the `postgres` user when the tests run as root. With
 * `replicationProxy`, the standby streams through a proxy on chaosdrill's embedded Toxiproxy-compatible server,
 * started in this process, so that a latency toxic makes it really lag. `stopAll()` in afterEach stops every server
 * a test started (and the proxy servers) and checks, by the PIDs in postmaster.pid, that none is left.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { alive } from '../../src/os/postgres/local-cluster.js';
import { startLabPair, stopLabPair, type LabPair } from '../../src/lab/postgres/lab-pair.js';
import type { ClusterPrograms } from '../../src/os/postgres/local-cluster.js';
import { serverUser } from '../../src/os/postgres/os-user.js';
import { createReplicationProxy, type ReplicationProxy } from '../../src/lab/postgres/replication-proxy.js';
import { startToxiproxyServer, type ToxiproxyServer } from '../../src/proxy/server.js';
import type { PostgresConfig } from '../../src/plugins/postgres/config.js';

export function testPrograms(): ClusterPrograms {
  return { user: serverUser(undefined) };
}

export class PostgresClusters {
  readonly #pairs: LabPair[] = [];
  readonly #proxyServers: ToxiproxyServer[] = [];
  readonly #dirs: string[] = [];
  /** Every postmaster PID seen, to check none survives. */
  readonly #pids = new Set<number>();

  /** A new temp dir the server user can reach (mkdtemp makes it 0700 for root). */
  async tempDir(prefix = 'chaos-pg-'): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    await chmod(dir, 0o755);
    this.#dirs.push(dir);
    return dir;
  }

  async start(options: { standby?: boolean; orders?: number; replicationProxy?: boolean } = {}): Promise<LabPair & { replicationProxy: ReplicationProxy | null }> {
    const dir = join(await this.tempDir(), 'lab');
    let replicationProxy: ReplicationProxy | null = null;
    const proxyServer = options.replicationProxy ? await startToxiproxyServer({ host: '127.0.0.1', port: 0 }) : null;
    if (proxyServer) this.#proxyServers.push(proxyServer);
    const pair = await startLabPair(dir, {
      portBase: 0,
      standby: options.standby ?? false,
      orders: options.orders ?? 200,
      programs: testPrograms(),
      ...(proxyServer ? { replicationVia: async (port: number) => (replicationProxy = await createReplicationProxy(proxyServer.url, port)) } : {}),
    });
    this.#pairs.push(pair);
    this.remember(pair);
    return { ...pair, replicationProxy };
  }

  /** Notes the current postmaster PIDs of a pair (after a restart, say). */
  remember(pair: LabPair): void {
    for (const node of [pair.primary, pair.standby]) if (node?.pid) this.#pids.add(node.pid);
  }

  /** Stops every server, removes the temp dirs; throws when a postmaster is still alive. */
  async stopAll(): Promise<void> {
    for (const pair of this.#pairs.splice(0)) {
      for (const pid of await stopLabPair(pair, testPrograms(), 'immediate')) this.#pids.add(pid);
    }
    for (const server of this.#proxyServers.splice(0)) await server.close();
    for (const dir of this.#dirs.splice(0)) await rm(dir, { recursive: true, force: true });
    const left = [...this.#pids].filter(alive);
    this.#pids.clear();
    if (left.length > 0) throw new Error(`postgres processes left running: ${left.join(', ')}`);
  }
}

/** A target config for a lab node. */
export function targetFor(url: string, extra: Partial<PostgresConfig> = {}): PostgresConfig {
  return { url, allowDestructive: false, ...extra };
}

/** One statement on a fresh connection (tests check the server directly, not through the plugin). */
export async function sql<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

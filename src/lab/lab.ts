/**
 * The multi-region lab, wired together inside the lab process: the orders instances (children, kept alive by the
 * supervisor), the embedded fault proxy with one proxy per instance and one on the replication link, the
 * replicator and its apply endpoint, and the router, which also serves the admin API the `lab` plugin drives.
 */
import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseHostPort } from '../proxy/address.js';
import { startToxiproxyServer, type ToxiproxyServer } from '../proxy/server.js';
import { processStartTime } from '../engine/process-identity.js';
import { handleAdmin } from './admin-api.js';
import { EventLog } from './event-log.js';
import type { LabInfo } from './lab-info.js';
import { instanceNames, REGIONS, REPLICATION_PROXY, type LabSettings, type Region } from './lab-settings.js';
import { OrdersDb, type OrderRow } from './orders-db.js';
import { Replicator } from './replicator.js';
import { Router } from './router.js';
import { Supervisor, type Release } from './supervisor.js';

export const INITIAL_RELEASE: Release = { version: '1.0.0', errorRate: 0, addedLatencyMs: 0 };

export class Lab {
  readonly events: EventLog;
  readonly dbs: Record<Region, OrdersDb>;
  readonly regions: Record<Region, string[]>;
  readonly supervisor: Supervisor;
  readonly router: Router;
  readonly replicator: Replicator;
  proxies!: ToxiproxyServer;
  private applyServer!: Server;
  private routerServer!: Server;
  /** The release before the newest deploy, for `lab.rollback`. */
  previousRelease: Release | null = null;
  /** The newest backup, which `lab.restore` uses when it names none. */
  lastBackup: string | null = null;
  /** Tokens of restores done (`lab.data-loss` reverts), so a repeated revert restores once. */
  readonly restoredTokens = new Set<string>();

  constructor(
    readonly settings: LabSettings,
    readonly dir: string,
  ) {
    this.events = new EventLog(join(dir, 'events.jsonl'));
    this.regions = { a: instanceNames('a', settings.instances), b: instanceNames('b', settings.instances) };
    this.dbs = { a: new OrdersDb(this.dbPath('a')), b: new OrdersDb(this.dbPath('b')) };
    this.supervisor = new Supervisor({
      restartDelayMs: settings.restartDelay,
      events: this.events,
      onListening: (name, port) => this.pointProxy(name, port),
    });
    this.router = new Router({
      regions: this.regions,
      addressOf: (name) => this.addressOf(name),
      healthIntervalMs: settings.healthInterval,
      failoverAfter: settings.failoverAfter,
      promotionTimeMs: settings.promotionTime,
      events: this.events,
      onPromote: (from, to) => this.switchReplication(from, to),
    });
    this.replicator = new Replicator({
      lagMs: settings.replicationLag,
      instancesOf: (region) => this.regions[region],
      addressOf: (name) => this.addressOf(name),
      linkProxy: REPLICATION_PROXY,
      events: this.events,
    });
  }

  dbPath(region: Region): string {
    return join(this.dir, `region-${region}.db`);
  }

  async start(): Promise<LabInfo> {
    await mkdir(join(this.dir, 'backups'), { recursive: true });
    this.proxies = await startToxiproxyServer({ host: '127.0.0.1', port: 0 });
    this.applyServer = await listen(createServer((req, res) => void this.apply(req, res)));
    await this.proxies.collection.add({
      name: REPLICATION_PROXY,
      listen: '127.0.0.1:0',
      upstream: `127.0.0.1:${(this.applyServer.address() as AddressInfo).port}`,
      enabled: true,
    });
    for (const region of REGIONS) {
      for (const name of this.regions[region]) {
        // Created first, pointing nowhere (port 1 refuses): the supervisor points it at the instance once it listens.
        await this.proxies.collection.add({ name, listen: '127.0.0.1:0', upstream: '127.0.0.1:1', enabled: true });
        this.supervisor.add(name, region, this.dbPath(region), INITIAL_RELEASE);
      }
    }
    await this.supervisor.startAll();
    this.routerServer = await listen(
      createServer((req, res) => {
        const handled = req.url?.startsWith('/admin/') ? handleAdmin(this, req, res) : this.router.forward(req, res);
        handled.catch((error: unknown) => {
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
        });
      }),
    );
    this.router.start();
    this.replicator.start();
    const url = `http://127.0.0.1:${(this.routerServer.address() as AddressInfo).port}`;
    this.events.record('lab-started', { url, pid: process.pid, startTime: processStartTime(process.pid) });
    return {
      name: this.settings.name,
      pid: process.pid,
      startTime: processStartTime(process.pid),
      url,
      proxyApi: this.proxies.url,
      dir: this.dir,
      events: this.events.path,
      regions: Object.fromEntries(REGIONS.map((r) => [r, this.regions[r].map((n) => `http://${this.proxies.collection.get(n).listen}`)])),
      proxies: this.proxies.collection.list().map((p) => p.name),
      startedAt: new Date().toISOString(),
    };
  }

  async stop(): Promise<void> {
    await this.router.stop();
    await this.replicator.stop();
    await this.supervisor.stopAll();
    await this.proxies.close();
    this.routerServer.closeAllConnections();
    await new Promise((r) => this.routerServer.close(r));
    this.applyServer.closeAllConnections();
    await new Promise((r) => this.applyServer.close(r));
    for (const db of Object.values(this.dbs)) db.close();
    this.events.record('lab-stopped');
  }

  /** The address of an enabled proxy; null while it is disabled (a region outage, a partition). */
  addressOf(name: string): { host: string; port: number } | null {
    try {
      const proxy = this.proxies.collection.get(name);
      return proxy.enabled ? parseHostPort(proxy.listen) : null;
    } catch {
      return null;
    }
  }

  /** Region of an instance name (`a-2` → `a`). */
  regionOf(name: string): Region {
    const region = name.split('-')[0];
    if (region !== 'a' && region !== 'b') throw new Error(`no region for "${name}"`);
    return region;
  }

  /** Ground truth at a promotion: what the old primary had not shipped is lost; log it, then switch direction. */
  private switchReplication(from: Region, to: Region): void {
    const cursor = this.replicator.cursorOf(from);
    const unshipped = this.dbs[from].since(cursor, 1_000_000);
    const lastShipped = this.replicator.status().lastShipped;
    this.events.record('replication-stopped', {
      from,
      to,
      lastReplicated: lastShipped,
      unreplicated: {
        count: unshipped.length,
        oldest: unshipped[0] ? { id: unshipped[0].id, createdAt: unshipped[0].createdAt } : null,
        newest: unshipped.at(-1) ? { id: unshipped.at(-1)!.id, createdAt: unshipped.at(-1)!.createdAt } : null,
      },
    });
    this.replicator.switchSource(to, this.dbs[to].newest()?.seq ?? 0);
  }

  private pointProxy(name: string, port: number): void {
    // New connections go to the new process; the proxy itself (its listen port, enabled state, toxics) stays.
    this.proxies.collection.get(name).upstream = `127.0.0.1:${port}`;
  }

  private async apply(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const region = new URL(req.url ?? '/', 'http://lab').searchParams.get('region');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (region !== 'a' && region !== 'b') {
      res.writeHead(400).end();
      return;
    }
    const { rows } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { rows: OrderRow[] };
    const applied = this.dbs[region].apply(rows);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ applied }));
  }
}

async function listen(server: Server): Promise<Server> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, resolve);
  });
  return server;
}

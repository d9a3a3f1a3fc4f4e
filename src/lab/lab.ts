/**
 * The multi-region lab: the orders instances, a fault proxy in front of each and one on the replication link, the
 * replicator and its apply endpoint, and the router, which also serves the admin API the `lab` plugin drives.
 * Embedded (the default), everything runs in the lab process: instances are its children, kept alive by the
 * supervisor, behind the embedded proxy. Distributed (`control-main.ts`, docker-compose), a wiring puts the
 * instances behind remote agents and the proxies on a remote Toxiproxy; the lab logic is the same.
 */
import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { formatHostPort, parseHostPort, type HostPort } from '../proxy/address.js';
import { listeningPort } from '../os/listening-port.js';
import { processStartTime } from '../os/process-identity.js';
import { EventLog } from './event-log.js';
import type { LabInfo } from './contract/lab-info.js';
import type { Release } from './contract/lab-status.js';
import { INITIAL_RELEASE, type LabInstances } from './lab-instances.js';
import { EmbeddedProxies, type LabProxies } from './lab-proxies.js';
import { instanceNames, REGIONS, REPLICATION_PROXY, type LabSettings, type Region } from './contract/lab-settings.js';
import { OrdersDb, type OrderRow } from './orders-db.js';
import { Replicator } from './replicator.js';
import { Router } from './router.js';
import { Supervisor } from './supervisor.js';
import { messageOf } from '../errors.js';

export { INITIAL_RELEASE };

/** What the lab is built from, besides its logic. */
export interface LabWiring {
  instances: LabInstances;
  /** Starts (or connects to) the proxies, once the apply endpoint listens on `applyPort`. */
  startProxies(applyPort: number): Promise<LabProxies>;
  /** Each region's SQLite file. */
  dbPath(region: Region): string;
  routerListen: HostPort;
  applyListen: HostPort;
  /** How a client outside reaches the lab (compose: the ports published on 127.0.0.1); default: as it listens. */
  publicUrl?: string;
  publicProxyApi?: string;
  /** The host a client reaches the instance proxies on. */
  publicProxyHost?: string;
}

export type WireLab = (parts: { settings: LabSettings; dir: string; events: EventLog; regions: Record<Region, string[]> }) => LabWiring;

/** Serves `/admin/*` on the router's port (admin-api.ts); given to start() so this file does not import it. */
export type AdminApi = (lab: Lab, req: IncomingMessage, res: ServerResponse) => Promise<void>;

export class Lab {
  readonly events: EventLog;
  readonly dbs: Record<Region, OrdersDb>;
  readonly regions: Record<Region, string[]>;
  readonly instances: LabInstances;
  readonly router: Router;
  readonly replicator: Replicator;
  readonly wiring: LabWiring;
  proxies!: LabProxies;
  /** What the lab publishes about itself once it serves (`GET /admin/info`). */
  info: LabInfo | null = null;
  #applyServer!: Server;
  #routerServer!: Server;
  /** The release before the newest deploy, for `lab.rollback`. */
  previousRelease: Release | null = null;
  /** The newest backup, which `lab.restore` uses when it names none. */
  lastBackup: string | null = null;
  /** Tokens of restores done (`lab.data-loss` reverts), so a repeated revert restores once. */
  readonly restoredTokens = new Set<string>();

  constructor(
    readonly settings: LabSettings,
    readonly dir: string,
    wire: WireLab = embeddedWiring,
  ) {
    this.events = new EventLog(join(dir, 'events.jsonl'));
    this.regions = { a: instanceNames('a', settings.instances), b: instanceNames('b', settings.instances) };
    this.wiring = wire({ settings, dir, events: this.events, regions: this.regions });
    this.instances = this.wiring.instances;
    this.dbs = { a: new OrdersDb(this.dbPath('a')), b: new OrdersDb(this.dbPath('b')) };
    this.router = new Router({
      regions: this.regions,
      addressOf: (name) => this.addressOf(name),
      healthIntervalMs: settings.healthInterval,
      failoverAfter: settings.failoverAfter,
      promotionTimeMs: settings.promotionTime,
      events: this.events,
      onPromote: (from, to) => this.#switchReplication(from, to),
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
    return this.wiring.dbPath(region);
  }

  /** The in-process supervisor of an embedded lab (tests inspect it); a distributed lab has none. */
  get supervisor(): Supervisor {
    if (!(this.instances instanceof Supervisor)) throw new Error('a distributed lab has no in-process supervisor: its instances run under agents');
    return this.instances;
  }

  async start(admin: AdminApi): Promise<LabInfo> {
    await mkdir(join(this.dir, 'backups'), { recursive: true });
    this.#applyServer = await listen(createServer((req, res) => void this.#apply(req, res)), this.wiring.applyListen);
    this.proxies = await this.wiring.startProxies(listeningPort(this.#applyServer));
    await this.instances.startAll();
    this.#routerServer = await listen(
      createServer((req, res) => {
        const handled = req.url?.startsWith('/admin/') ? admin(this, req, res) : this.router.forward(req, res);
        handled.catch((error: unknown) => {
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: messageOf(error) }));
        });
      }),
      this.wiring.routerListen,
    );
    this.router.start();
    this.replicator.start();
    const url = this.wiring.publicUrl ?? `http://${formatHostPort(this.wiring.routerListen.host, listeningPort(this.#routerServer))}`;
    this.events.record('lab-started', { url, pid: process.pid, startTime: processStartTime(process.pid) });
    this.info = {
      name: this.settings.name,
      pid: process.pid,
      startTime: processStartTime(process.pid),
      url,
      proxyApi: this.wiring.publicProxyApi ?? this.proxies.apiUrl,
      dir: this.dir,
      events: this.events.path,
      regions: Object.fromEntries(REGIONS.map((r) => [r, this.regions[r].map((n) => this.#publicProxyUrl(n))])),
      proxies: [REPLICATION_PROXY, ...REGIONS.flatMap((r) => this.regions[r])],
      startedAt: new Date().toISOString(),
    };
    return this.info;
  }

  async stop(): Promise<void> {
    await this.router.stop();
    await this.replicator.stop();
    await this.instances.stopAll();
    await this.proxies?.close();
    this.#routerServer?.closeAllConnections();
    if (this.#routerServer) await new Promise((r) => this.#routerServer.close(r));
    this.#applyServer?.closeAllConnections();
    if (this.#applyServer) await new Promise((r) => this.#applyServer.close(r));
    for (const db of Object.values(this.dbs)) db.close();
    this.events.record('lab-stopped');
  }

  /** The port the replication apply endpoint listens on (behind the `replication` proxy). */
  get applyPort(): number {
    return listeningPort(this.#applyServer);
  }

  /** The address of an enabled proxy; null while it is disabled (a region outage, a partition). */
  addressOf(name: string): HostPort | null {
    return this.proxies?.addressOf(name) ?? null;
  }

  /** An instance proxy's URL as a client reaches it (while disabled, from its configured listen address). */
  #publicProxyUrl(name: string): string {
    const address = this.proxies.addressOf(name) ?? parseHostPort(this.proxies.describe(name)?.listen ?? '') ?? { host: '', port: 0 };
    return `http://${formatHostPort(this.wiring.publicProxyHost ?? address.host, address.port)}`;
  }

  /** Region of an instance name (`a-2` → `a`). */
  regionOf(name: string): Region {
    const region = name.split('-')[0];
    if (region !== 'a' && region !== 'b') throw new Error(`no region for "${name}"`);
    return region;
  }

  /** Ground truth at a promotion: what the old primary had not shipped is lost; log it, then switch direction. */
  #switchReplication(from: Region, to: Region): void {
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

  async #apply(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const region = new URL(req.url ?? '/', 'http://lab').searchParams.get('region');
    const body = await text(req);
    if (region !== 'a' && region !== 'b') {
      res.writeHead(400).end();
      return;
    }
    const { rows } = JSON.parse(body) as { rows: OrderRow[] };
    const applied = this.dbs[region].apply(rows);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ applied }));
  }
}

async function listen(server: Server, at: HostPort): Promise<Server> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: at.host, port: at.port }, resolve);
  });
  return server;
}

/** Today's lab in one process: instances as children of the supervisor, the embedded proxy in front of them. */
export const embeddedWiring: WireLab = ({ settings, dir, events, regions }) => {
  let proxies: EmbeddedProxies | null = null;
  const dbPath = (region: Region) => join(dir, `region-${region}.db`);
  const supervisor = new Supervisor({
    restartDelayMs: settings.restartDelay,
    events,
    onListening: (name, port) => proxies?.pointAt(name, port),
  });
  for (const region of REGIONS) for (const name of regions[region]) supervisor.add(name, region, dbPath(region), INITIAL_RELEASE);
  return {
    instances: supervisor,
    dbPath,
    routerListen: { host: '127.0.0.1', port: 0 },
    applyListen: { host: '127.0.0.1', port: 0 },
    async startProxies(applyPort) {
      proxies = await EmbeddedProxies.start(REGIONS.flatMap((r) => regions[r]), { name: REPLICATION_PROXY, upstream: `127.0.0.1:${applyPort}` });
      return proxies;
    },
  };
};

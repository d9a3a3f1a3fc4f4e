/**
 * A local primary with an asynchronous streaming standby, in one folder: what `chaos lab postgres up` starts and
 * the tests use. The primary gets a `shop` database with an `orders` table of `orders` rows, so the drills have
 * data to destroy, restore and verify.
 */
import { createServer } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { clusterRunning, cloneStandby, initCluster, postmasterPid, startCluster, stopCluster, type ClusterPrograms } from '../../os/postgres/local-cluster.js';
import { giveTo } from '../../os/postgres/os-user.js';
import { listeningPort } from '../../os/listening-port.js';

export interface LabNode {
  role: 'primary' | 'standby';
  dataDir: string;
  port: number;
  url: string;
  pid: number | null;
}

export interface LabPair {
  dir: string;
  primary: LabNode;
  standby: LabNode | null;
  /** Where the standby streams from when not from the primary itself (a proxy in front of it); null: direct. */
  replication: HostPort | null;
}

export interface HostPort {
  host: string;
  port: number;
}

export interface LabPairOptions {
  /** Port of the primary (the standby takes the next); 0: ports chosen by the OS. */
  portBase: number;
  standby: boolean;
  orders: number;
  programs: ClusterPrograms;
  /**
   * Route streaming replication through something that forwards to the primary (a Toxiproxy-compatible proxy), so
   * that network faults can delay or cut it: called with the primary's port once it runs, returns the address the
   * standby then clones from and streams from. On loopback a direct standby keeps up within a millisecond.
   */
  replicationVia?: (primaryPort: number) => Promise<HostPort>;
}

/** A port the OS says is free now (listen on 0, read, close). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = listeningPort(server);
      server.close(() => resolve(port));
    });
  });
}

export function labUrl(port: number, database = 'shop'): string {
  return `postgres://postgres@127.0.0.1:${port}/${database}`;
}

/** Small and quick: a lab server, not a tuned one. fsync off is safe for crashes of the server, not of the machine. */
const LAB_SETTINGS = { fsync: 'off', full_page_writes: 'off', shared_buffers: '32MB', max_connections: '50', wal_keep_size: "'64MB'" };

async function seed(port: number, orders: number): Promise<void> {
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await admin.connect();
  try {
    await admin.query('CREATE DATABASE shop');
  } finally {
    await admin.end();
  }
  const shop = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'shop' });
  await shop.connect();
  try {
    await shop.query(`CREATE TABLE orders (id integer PRIMARY KEY, item text NOT NULL, amount numeric(10,2) NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    await shop.query('CREATE INDEX orders_item_idx ON orders (item)');
    await shop.query(`INSERT INTO orders (id, item, amount) SELECT g, 'item-' || (g % 37), (g * 7 % 1000) / 10.0 FROM generate_series(1, $1::int) g`, [orders]);
  } finally {
    await shop.end();
  }
}

/** Creates and starts the pair in `dir` (which must be new or empty). Stops what it started when a step fails. */
export async function startLabPair(dir: string, options: LabPairOptions): Promise<LabPair> {
  const { programs } = options;
  await mkdir(dir, { recursive: true });
  // The server user must reach its directories inside ours.
  await giveTo(programs.user, dir);
  const primaryPort = options.portBase === 0 ? await freeLoopbackPort() : options.portBase;
  const standbyPort = options.portBase === 0 ? await freeLoopbackPort() : options.portBase + 1;
  const sockets = join(dir, 'sockets');
  const primary: LabNode = { role: 'primary', dataDir: join(dir, 'primary'), port: primaryPort, url: labUrl(primaryPort), pid: null };
  const pair: LabPair = { dir, primary, standby: null, replication: null };
  try {
    await initCluster(primary.dataDir, { port: primaryPort, socketDir: sockets }, programs, LAB_SETTINGS);
    await startCluster(primary.dataDir, programs);
    primary.pid = await postmasterPid(primary.dataDir);
    await seed(primaryPort, options.orders);
    if (options.standby) {
      const standby: LabNode = { role: 'standby', dataDir: join(dir, 'standby'), port: standbyPort, url: labUrl(standbyPort), pid: null };
      pair.standby = standby;
      pair.replication = options.replicationVia ? await options.replicationVia(primaryPort) : null;
      // pg_basebackup -R writes the address it cloned from as the standby's primary_conninfo.
      const via = pair.replication;
      const source = via ? `postgres://postgres@${via.host.includes(':') ? `[${via.host}]` : via.host}:${via.port}/postgres` : labUrl(primaryPort, 'postgres');
      await cloneStandby(source, standby.dataDir, { port: standbyPort, socketDir: sockets }, programs);
      await startCluster(standby.dataDir, programs);
      standby.pid = await postmasterPid(standby.dataDir);
    }
    return pair;
  } catch (error) {
    await stopLabPair(pair, programs).catch(() => undefined);
    throw error;
  }
}

/**
 * Stops both servers (`fast`, then `immediate` as a fallback; or `immediate` straight away for a lab whose data
 * is thrown away); returns the postmaster PIDs it found running.
 */
export async function stopLabPair(
  pair: Pick<LabPair, 'primary' | 'standby'>,
  programs: ClusterPrograms,
  mode: 'fast' | 'immediate' = 'fast',
): Promise<number[]> {
  const stopped: number[] = [];
  for (const node of [pair.standby, pair.primary]) {
    if (node === null || !(await clusterRunning(node.dataDir))) continue;
    const pid = await postmasterPid(node.dataDir);
    try {
      await stopCluster(node.dataDir, mode, programs);
    } catch {
      await stopCluster(node.dataDir, 'immediate', programs);
    }
    if (pid !== null) stopped.push(pid);
  }
  return stopped;
}

/** What a node of the pair is now, as `chaos lab postgres status` shows it. */
export async function serverRole(url: string): Promise<'primary' | 'standby' | 'not answering'> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r');
    return rows[0].r ? 'standby' : 'primary';
  } catch {
    return 'not answering';
  } finally {
    await client.end().catch(() => undefined);
  }
}

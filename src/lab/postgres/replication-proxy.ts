/**
 * Streaming replication of the PostgreSQL lab through a proxy on a Toxiproxy API (chaosdrill's embedded proxy, e.g.
 * `chaos proxy serve`, or a real Toxiproxy), so that `toxiproxy.latency` makes the standby really lag and
 * `toxiproxy.down` cuts it: on loopback a direct standby keeps up within a millisecond and every failover measures
 * RPO 0. Talks to the API with toxiproxy-node-client, like the toxiproxy plugin.
 */
import { Toxiproxy } from 'toxiproxy-node-client';
import { ChaosError, ExitCode, messageOf } from '../../errors.js';
import type { HostPort } from './lab-pair.js';

/** The proxy's name on the API: experiments/postgres/lagging-replica-failover.yaml puts its faults on it. */
export const REPLICATION_PROXY = 'pg-replication';

export interface ReplicationProxy extends HostPort {
  /** The Toxiproxy API it lives on. */
  api: string;
  name: string;
}

/** Creates the proxy, listening on a loopback port the proxy server picks, forwarding to the primary. */
export async function createReplicationProxy(api: string, primaryPort: number, name = REPLICATION_PROXY): Promise<ReplicationProxy> {
  const client = new Toxiproxy(api);
  let listen: string;
  try {
    listen = (await client.createProxy({ name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${primaryPort}` })).listen;
  } catch (error) {
    const why = messageOf(error);
    throw new ChaosError(`cannot create the replication proxy "${name}" on the Toxiproxy API ${api}: ${why}`, {
      code: 'E_PG_LAB_PROXY',
      exitCode: ExitCode.Infrastructure,
      hint: /409/.test(why)
        ? `a proxy "${name}" already exists there: remove it (or stop the lab that made it) first`
        : 'start one with `chaos proxy serve --listen 127.0.0.1:8474` (or a real Toxiproxy) and pass its URL',
    });
  }
  const port = Number(listen.slice(listen.lastIndexOf(':') + 1));
  return { api, name, host: '127.0.0.1', port };
}

/** Removes the proxy; idempotent (false: there was none). Throws when the API cannot be reached. */
export async function removeReplicationProxy(proxy: Pick<ReplicationProxy, 'api' | 'name'>): Promise<boolean> {
  const client = new Toxiproxy(proxy.api);
  try {
    await (await client.get(proxy.name)).remove();
    return true;
  } catch (error) {
    if (/status code 404/.test(messageOf(error))) return false;
    throw error;
  }
}

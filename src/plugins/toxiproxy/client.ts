/**
 * Talking to a Toxiproxy API through toxiproxy-node-client, so the same code drives the embedded proxy and a real
 * Toxiproxy. The client reports HTTP errors only as "Request failed with status code N"; `statusOf` reads N back.
 */
import { Proxy as ToxiproxyProxy, Toxic, Toxiproxy } from 'toxiproxy-node-client';
import { ChaosError, ExitCode, messageOf } from '../../errors.js';

export { Toxiproxy, ToxiproxyProxy, Toxic };

/** The HTTP status of a failed client call, or null when the server was not reached. */
export function statusOf(error: unknown): number | null {
  const match = /status code (\d{3})/.exec(messageOf(error));
  return match ? Number(match[1]) : null;
}

/** The proxy, or null when the server has no proxy of that name. */
export async function findProxy(client: Toxiproxy, name: string): Promise<ToxiproxyProxy | null> {
  try {
    return await client.get(name);
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

/** The proxy a fault acts on; a ChaosError a person can act on when it is missing. */
export async function requireProxy(client: Toxiproxy, name: string, targetName: string): Promise<ToxiproxyProxy> {
  const proxy = await findProxy(client, name);
  if (proxy === null) {
    throw new ChaosError(`target ${targetName}: Toxiproxy at ${client.host} has no proxy "${name}"`, {
      code: 'E_PROXY_NOT_FOUND',
      exitCode: ExitCode.Failed,
      hint: `list it under the target's \`proxies:\` so the run creates it, or create it on the server`,
    });
  }
  return proxy;
}

/** Removes a toxic by name. Idempotent: a missing proxy or toxic is already reverted. Returns whether it removed one. */
export async function removeToxic(client: Toxiproxy, proxyName: string, toxicName: string): Promise<boolean> {
  const proxy = await findProxy(client, proxyName);
  if (proxy === null) return false;
  try {
    const toxic = await proxy.getToxic(toxicName);
    await toxic.remove();
    return true;
  } catch (error) {
    if (statusOf(error) === 404) return false;
    throw error;
  }
}

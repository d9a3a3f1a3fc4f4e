/**
 * The `toxiproxy.proxy` resource: a proxy a run created on a real (not embedded) Toxiproxy server, removed by
 * `chaos recover` when the run died before removing it itself.
 */
import type { JsonObject } from '../../json.js';
import type { Logger, ResourceType } from '../api.js';
import { findProxy, statusOf, Toxiproxy } from './client.js';
import { proxyResourceSpec } from './specs.js';

export const proxyResource: ResourceType = {
  ...proxyResourceSpec,
  async release(state: JsonObject, logger: Logger): Promise<void> {
    const { url, name } = state;
    if (typeof url !== 'string' || typeof name !== 'string') {
      throw new Error(`toxiproxy.proxy: malformed state ${JSON.stringify(state)}`);
    }
    const client = new Toxiproxy(url);
    let proxy;
    try {
      proxy = await findProxy(client, name);
    } catch (error) {
      if (statusOf(error) !== null) throw error;
      // Not reached at all: the server is gone, and its proxies with it.
      logger.info(`Toxiproxy at ${url} does not answer; proxy ${name} is gone with it`);
      return;
    }
    if (proxy === null) {
      logger.info(`proxy ${name} on ${url} is already gone`);
      return;
    }
    await proxy.remove();
    logger.info(`removed proxy ${name} from ${url}, left behind by an earlier run`);
  },
};

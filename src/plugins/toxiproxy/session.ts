/**
 * A connected toxiproxy target. With `url` it talks to that server; without, it starts the embedded server
 * in-process for the run (on 127.0.0.1, a port the OS picks) and stops it at close. Under `run` it creates the
 * configured proxies that do not exist and removes, at close, exactly those it created. Under `plan` and `recover`
 * it starts and creates nothing; under `recover` an embedded target has no server any more: the embedded proxy of a
 * dead run died with it, and so did its toxics.
 */
import { ChaosError, ExitCode, messageOf } from '../../errors.js';
import { parseHostPort } from '../../proxy/address.js';
import { startToxiproxyServer, type ToxiproxyServer } from '../../proxy/server.js';
import type { ConnectPurpose, Connection, PluginContext, ResourceHandle, TargetAttributes } from '../api.js';
import { findProxy, statusOf, Toxiproxy, type ToxiproxyProxy } from './client.js';
import type { ProxySpec, ToxiproxyConfig } from './config.js';
import { proxyResourceSpec } from './specs.js';

export class ToxiproxySession {
  constructor(
    readonly targetName: string,
    readonly config: ToxiproxyConfig,
    readonly purpose: ConnectPurpose,
    /** Null when there is no server to talk to: an embedded target under `plan` or `recover`. */
    readonly client: Toxiproxy | null,
  ) {}

  get embedded(): boolean {
    return this.config.url === undefined;
  }

  /** Where it is, for messages: the URL, or "the embedded proxy". */
  get where(): string {
    return this.client?.host ?? 'the embedded proxy (not started)';
  }

  /** The client a fault needs; an error a person can act on when there is none. */
  requireClient(): Toxiproxy {
    if (this.client === null) {
      throw new ChaosError(`target ${this.targetName}: the embedded proxy is not running (connected for ${this.purpose})`, {
        code: 'E_PROXY_NOT_RUNNING',
        exitCode: ExitCode.Failed,
      });
    }
    return this.client;
  }
}

export async function connectToxiproxy(config: ToxiproxyConfig, ctx: PluginContext): Promise<Connection<ToxiproxySession>> {
  if (config.url === undefined && ctx.purpose !== 'run') {
    const session = new ToxiproxySession(ctx.targetName, config, ctx.purpose, null);
    return { session, attributes: plannedAttributes(config.proxies) };
  }

  let embedded: ToxiproxyServer | null = null;
  if (config.url === undefined) {
    embedded = await startToxiproxyServer({ host: '127.0.0.1', port: 0 });
    ctx.logger.info(`target ${ctx.targetName}: started the embedded Toxiproxy-compatible proxy at ${embedded.url}`);
  }
  const url = config.url ?? embedded!.url;
  const client = new Toxiproxy(url.replace(/\/+$/, ''));
  const created: { name: string; handle: ResourceHandle | null }[] = [];
  const session = new ToxiproxySession(ctx.targetName, config, ctx.purpose, client);

  const close = async () => {
    for (const { name, handle } of created.reverse()) {
      const proxy = await findProxy(client, name);
      await proxy?.remove();
      if (handle) await ctx.resources.released(handle);
      ctx.logger.info(`target ${ctx.targetName}: removed proxy ${name}`);
    }
    created.length = 0;
    await embedded?.close();
  };

  try {
    try {
      await client.getVersion();
    } catch (error) {
      throw new ChaosError(`target ${ctx.targetName}: no Toxiproxy API answers at ${url}: ${messageOf(error)}`, {
        code: 'E_TARGET_UNREACHABLE',
        exitCode: ExitCode.Infrastructure,
        hint: 'start toxiproxy-server (or `chaos proxy serve`) there, or drop `url` to use the embedded proxy',
      });
    }
    const attributes: TargetAttributes = { url };
    for (const spec of config.proxies) {
      let proxy = await findProxy(client, spec.name);
      if (proxy === null && ctx.purpose === 'run') {
        proxy = await createProxy(client, spec, created, embedded === null ? { url, ctx } : null);
        ctx.logger.info(`target ${ctx.targetName}: created proxy ${spec.name} ${proxy.listen} → ${proxy.upstream}`);
      } else if (proxy !== null && proxy.upstream !== spec.upstream) {
        ctx.logger.warn(`target ${ctx.targetName}: proxy ${spec.name} exists with upstream ${proxy.upstream}, not ${spec.upstream}; using it as it is`);
      }
      Object.assign(attributes, proxyAttributes(spec.name, proxy?.listen ?? spec.listen));
    }
    return { session, attributes, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/**
 * Creates a proxy the run owns. On a real server (`ledgered`), its name goes into the ledger first: the embedded
 * server dies with the runner, a real server's proxy must be removed by `chaos recover` after a crash, even one
 * that struck between the create and any later write.
 */
async function createProxy(
  client: Toxiproxy,
  spec: ProxySpec,
  created: { name: string; handle: ResourceHandle | null }[],
  ledgered: { url: string; ctx: PluginContext } | null,
): Promise<ToxiproxyProxy> {
  const create = () => client.createProxy({ name: spec.name, listen: spec.listen, upstream: spec.upstream, enabled: true });
  if (ledgered === null) {
    const proxy = await create();
    created.push({ name: spec.name, handle: null });
    return proxy;
  }
  const { url, ctx } = ledgered;
  const state = { url, name: spec.name };
  const handle = await ctx.resources.intend(proxyResourceSpec.type, state, `proxy ${spec.name} on ${url}`);
  let proxy: ToxiproxyProxy;
  try {
    proxy = await create();
  } catch (error) {
    // The server answered with an error: it created nothing (a 409 means the name is someone else's now).
    // Not reached: the proxy may or may not exist, so closing the target removes it if it does.
    if (statusOf(error) !== null) await ctx.resources.released(handle);
    else created.push({ name: spec.name, handle });
    throw error;
  }
  created.push({ name: spec.name, handle });
  await ctx.resources.acquired(handle, state);
  return proxy;
}

function proxyAttributes(name: string, listen: string): TargetAttributes {
  const address = parseHostPort(listen);
  return { [`${name}.listen`]: listen, [`${name}.port`]: address?.port ?? 0 };
}

/** What `plan` can say without a server: the configured addresses (a port 0 is only known once listening). */
function plannedAttributes(proxies: readonly ProxySpec[]): TargetAttributes {
  const attributes: TargetAttributes = { url: 'embedded' };
  for (const spec of proxies) Object.assign(attributes, proxyAttributes(spec.name, spec.listen));
  return attributes;
}

/**
 * One proxy: listens on `listen`, forwards each connection to `upstream` through its toxics. Disabling it closes
 * the listener (new connections are refused) and cuts every open connection; enabling it listens again on the same
 * address. Toxics apply to open connections too, from the moment they are added.
 *
 * As in Toxiproxy, `listen` shows the address as given until the proxy listens, then the address it listens on
 * (`localhost:0` becomes `127.0.0.1:40123`); `upstream` is any text, dialled only when a client connects.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { ApiError, ErrToxicAlreadyExists, ErrToxicNotFound } from './api-error.js';
import { ProxyConnection, type NamedToxic } from './connection.js';
import { ReadBufferPool } from './read-buffers.js';
import { SpareUpstreamSocket } from './upstream-socket.js';
import { bindErrorText, comparableListen, formatListen, ListenError, parsePort, resolveListen, splitHostPort } from './go-address.js';
import type { HostPort } from './address.js';
import type { Stream, ToxicType } from './toxic-types.js';

export interface ToxicJson {
  attributes: Record<string, number>;
  name: string;
  type: ToxicType;
  /** As the client wrote it (`UPSTREAM` stays `UPSTREAM`), as Toxiproxy shows it. */
  stream: string;
  toxicity: number;
}

export interface ProxyJson {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: ToxicJson[];
}

export class Proxy {
  #server: Server | null = null;
  readonly #connections = new Set<ProxyConnection>();
  /** In Toxiproxy's order: upstream toxics first, then downstream, each in the order they were added. */
  readonly #toxics: NamedToxic[] = [];
  #dialled: { text: string; address: HostPort | null } = { text: '', address: null };
  readonly #upstreamSockets = new SpareUpstreamSocket(new ReadBufferPool());

  constructor(
    readonly name: string,
    public listen: string,
    public upstream: string,
  ) {}

  get enabled(): boolean {
    return this.#server !== null;
  }

  toJSON(): ProxyJson {
    return { name: this.name, listen: this.listen, upstream: this.upstream, enabled: this.enabled, toxics: this.toxicList() };
  }

  toxicList(): ToxicJson[] {
    const order = (t: NamedToxic) => (t.stream === 'upstream' ? 0 : 1);
    return [...this.#toxics]
      .sort((a, b) => order(a) - order(b))
      .map((t) => ({ attributes: { ...t.attributes }, name: t.name, type: t.type, stream: t.streamText ?? t.stream, toxicity: t.toxicity }));
  }

  getToxic(name: string): NamedToxic | undefined {
    return this.#toxics.find((t) => t.name === name);
  }

  /** Starts listening. Throws an ApiError (500, with Go's text, as Toxiproxy) when the address cannot be used. */
  async start(): Promise<void> {
    if (this.#server) return;
    let address;
    try {
      address = await resolveListen(this.listen);
    } catch (error) {
      if (error instanceof ListenError) throw new ApiError(error.message, 500);
      throw error;
    }
    const server = createServer({ noDelay: true, allowHalfOpen: true }, (socket) => this.#accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => reject(new ApiError(`listen tcp ${formatListen(address)}: ${bindErrorText(err)}`, 500)));
      server.listen({ host: address.host ?? undefined, port: address.port }, () => resolve());
    });
    if (this.#server) {
      // Started twice at once (an update raced a reset): keep the first listener.
      server.close();
      return;
    }
    const bound = server.address();
    if (bound !== null && typeof bound === 'object') this.listen = formatListen({ host: bound.address, port: bound.port });
    this.#server = server;
  }

  /** Stops listening and cuts every open connection. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    for (const connection of [...this.#connections]) connection.destroy();
    this.#connections.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * Toxiproxy's update: a new listen address or upstream restarts the proxy (cutting its connections); the same
   * listen address written differently (`localhost:3310` for `127.0.0.1:3310`) changes nothing.
   */
  async update(input: { listen: string; upstream: string; enabled: boolean }): Promise<void> {
    if ((await comparableListen(input.listen)) !== this.listen || input.upstream !== this.upstream) {
      await this.stop();
      this.listen = input.listen;
      this.upstream = input.upstream;
    }
    if (input.enabled && !this.enabled) await this.start();
    if (!input.enabled && this.enabled) await this.stop();
  }

  /** Whether populate would keep this proxy for `input` (same listen address, same upstream text). */
  async matches(input: { listen: string; upstream: string }): Promise<boolean> {
    return input.upstream === this.upstream && (await comparableListen(input.listen)) === this.listen;
  }

  addToxic(toxic: NamedToxic): void {
    if (this.getToxic(toxic.name)) throw ErrToxicAlreadyExists;
    this.#toxics.push(toxic);
    for (const connection of this.#connections) connection.addToxic(toxic);
  }

  updateToxic(name: string, change: { attributes: Record<string, number>; toxicity: number }): NamedToxic {
    const toxic = this.getToxic(name);
    if (!toxic) throw ErrToxicNotFound;
    toxic.attributes = change.attributes;
    toxic.toxicity = change.toxicity;
    for (const connection of this.#connections) connection.updateToxic(toxic);
    return toxic;
  }

  removeToxic(name: string): void {
    const index = this.#toxics.findIndex((t) => t.name === name);
    if (index < 0) throw ErrToxicNotFound;
    const [toxic] = this.#toxics.splice(index, 1);
    for (const connection of this.#connections) connection.removeToxic(toxic);
  }

  removeAllToxics(): void {
    for (const toxic of [...this.#toxics]) this.removeToxic(toxic.name);
  }

  #accept(client: Socket): void {
    const upstream = this.#upstreamAddress();
    if (upstream === null) {
      // Toxiproxy dials the upstream text; one that is not an address fails, and the client is closed.
      client.destroy();
      return;
    }
    const connection = new ProxyConnection(client, this.#upstreamSockets.take(), upstream, this.#toxics, (c) => this.#connections.delete(c));
    this.#connections.add(connection);
  }

  #upstreamAddress(): HostPort | null {
    if (this.#dialled.text !== this.upstream) {
      let address: HostPort | null = null;
      try {
        const { host, port } = splitHostPort(this.upstream);
        address = { host: host === '' ? '127.0.0.1' : host, port: parsePort(port) };
      } catch {
        address = null;
      }
      this.#dialled = { text: this.upstream, address };
    }
    return this.#dialled.address;
  }
}

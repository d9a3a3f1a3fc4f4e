/**
 * One proxy: listens on `listen`, forwards each connection to `upstream` through its toxics. Disabling it closes
 * the listener (new connections are refused) and cuts every open connection; enabling it listens again on the same
 * address. Toxics apply to open connections too, from the moment they are added.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { ApiError, ErrToxicAlreadyExists, ErrToxicNotFound } from './api-error.js';
import { formatHostPort, parseHostPort, type HostPort } from './address.js';
import { ProxyConnection, type NamedToxic } from './connection.js';
import type { ToxicJson } from './toxic-types.js';

export interface ProxyJson {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: ToxicJson[];
}

export class Proxy {
  private server: Server | null = null;
  private readonly connections = new Set<ProxyConnection>();
  /** In Toxiproxy's order: upstream toxics first, then downstream, each in the order they were added. */
  private readonly toxics: NamedToxic[] = [];

  constructor(
    readonly name: string,
    /** As given, then the real address once listening (a port 0 becomes the port the OS chose). */
    public listen: string,
    public upstream: string,
  ) {}

  get enabled(): boolean {
    return this.server !== null;
  }

  toJSON(): ProxyJson {
    return { name: this.name, listen: this.listen, upstream: this.upstream, enabled: this.enabled, toxics: this.toxicList() };
  }

  toxicList(): ToxicJson[] {
    const order = (t: NamedToxic) => (t.stream === 'upstream' ? 0 : 1);
    return [...this.toxics]
      .sort((a, b) => order(a) - order(b))
      .map((t) => ({ attributes: { ...t.attributes }, name: t.name, type: t.type, stream: t.stream, toxicity: t.toxicity }));
  }

  getToxic(name: string): NamedToxic | undefined {
    return this.toxics.find((t) => t.name === name);
  }

  /** Starts listening. Throws an ApiError (500, as Toxiproxy) when the address cannot be used. */
  async start(): Promise<void> {
    if (this.server) return;
    const address = parseHostPort(this.listen);
    if (!address) throw new ApiError(`listen address "${this.listen}" is not host:port`, 500);
    if (!parseHostPort(this.upstream)) throw new ApiError(`upstream address "${this.upstream}" is not host:port`, 500);
    const server = createServer({ noDelay: true }, (socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) => reject(new ApiError(`listen tcp ${this.listen}: ${err.message}`, 500)));
      server.listen({ host: address.host === '' ? undefined : address.host, port: address.port }, () => resolve());
    });
    const bound = server.address();
    if (bound !== null && typeof bound === 'object') {
      this.listen = formatHostPort(address.host === '' ? bound.address : address.host, bound.port);
    }
    this.server = server;
  }

  /** Stops listening and cuts every open connection. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const connection of [...this.connections]) connection.destroy();
    this.connections.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  addToxic(toxic: NamedToxic): void {
    if (this.getToxic(toxic.name)) throw ErrToxicAlreadyExists;
    this.toxics.push(toxic);
    for (const connection of this.connections) connection.addToxic(toxic);
  }

  updateToxic(name: string, change: { attributes: Record<string, number>; toxicity: number }): NamedToxic {
    const toxic = this.getToxic(name);
    if (!toxic) throw ErrToxicNotFound;
    toxic.attributes = change.attributes;
    toxic.toxicity = change.toxicity;
    for (const connection of this.connections) connection.updateToxic(toxic);
    return toxic;
  }

  removeToxic(name: string): void {
    const index = this.toxics.findIndex((t) => t.name === name);
    if (index < 0) throw ErrToxicNotFound;
    const [toxic] = this.toxics.splice(index, 1);
    for (const connection of this.connections) connection.removeToxic(toxic!);
  }

  removeAllToxics(): void {
    for (const toxic of [...this.toxics]) this.removeToxic(toxic.name);
  }

  private accept(client: Socket): void {
    const upstream = parseHostPort(this.upstream) as HostPort;
    const connection = new ProxyConnection(client, upstream, this.toxics, (c) => this.connections.delete(c));
    this.connections.add(connection);
  }
}

/**
 * Differential runs: one scenario, written once, is played against the real Toxiproxy and against the embedded
 * proxy, and each side's transcript (status, the headers clients read, the body as text) is compared whole.
 *
 * Normalised, because it must differ between two servers: ports the OS chose (each side's proxies listen on their
 * own ports; a port is replaced by a placeholder named after its first appearance, so "the same port as before" is
 * still compared), and the request id (its format is checked, its value is random). Stripped, on purpose: the real
 * server's `"Logger":{}` in a proxy's JSON (a Go struct field that leaked into 2.12's output; no client reads it).
 */
import { connect, type Socket } from 'node:net';
import type { ServerUnderTest } from './servers.js';
import { freePort } from './servers.js';

export interface Exchange {
  request: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What the real server writes and the embedded one deliberately does not. */
const REAL_ONLY_TEXT = [/"Logger":\{\},?/g];

/** The request id both servers send: an xid, 20 characters of base32hex. */
const REQUEST_ID = /^[0-9a-v]{20}$/;

export class Side {
  readonly transcript: (Exchange | { note: string; value: unknown })[] = [];
  readonly #placeholders = new Map<string, string>();
  readonly #sockets = new Set<Socket>();
  /** What each client saw from the proxy: a FIN (`ended`) or an error such as ECONNRESET. */
  readonly #seen = new WeakMap<Socket, { ended: boolean; error: boolean }>();

  constructor(readonly server: ServerUnderTest) {}

  get kind(): 'real' | 'embedded' {
    return this.server.kind;
  }

  /** A free port for this side, written as `<label>` in the transcript. */
  async port(label: string): Promise<number> {
    const port = await freePort();
    this.#placeholders.set(String(port), `<${label}>`);
    return port;
  }

  /** One API request, recorded. A string body is sent as is (malformed JSON); anything else as JSON. */
  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
    const exchange = await this.#request(method, path, body, headers);
    this.transcript.push(exchange.normalised);
    return { status: exchange.status, json: exchange.json };
  }

  /** A request whose answer is not compared (set-up steps whose result a later recorded call shows). */
  async quiet(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const exchange = await this.#request(method, path, body, {});
    return { status: exchange.status, json: exchange.json };
  }

  /** Records an observation made on this side (a socket closed, bytes counted). */
  note(note: string, value: unknown): void {
    this.transcript.push({ note, value: JSON.parse(this.#normalise(JSON.stringify(value ?? null))) as unknown });
  }

  /** The port a proxy listens on, read from the API without recording. */
  async listenPort(proxy: string): Promise<number> {
    const { json } = await this.quiet('GET', `/proxies/${proxy}`);
    const listen = (json as { listen: string }).listen;
    return Number(listen.slice(listen.lastIndexOf(':') + 1));
  }

  /** A TCP client to 127.0.0.1:port, closed when the side is cleaned up. */
  connect(port: number): Promise<Socket> {
    return new Promise((resolveSocket, reject) => {
      const socket = connect({ host: '127.0.0.1', port, noDelay: true });
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      const seen = { ended: false, error: false };
      this.#seen.set(socket, seen);
      socket.on('end', () => (seen.ended = true));
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.on('error', () => (seen.error = true));
        resolveSocket(socket);
      });
      socket.once('error', reject);
    });
  }

  /**
   * What an open client sees: first, after a moment, whether the proxy already closed the connection (`closed`: a
   * FIN, `reset`: an RST); if not, whether a few bytes sent come back (`echo`), make it close, or meet `silent`.
   */
  async echoState(socket: Socket, waitMs = 400): Promise<'echo' | 'closed' | 'reset' | 'silent'> {
    await new Promise((r) => setTimeout(r, 100));
    const seen = this.#seen.get(socket);
    if (seen?.error) return 'reset';
    if (seen?.ended || socket.destroyed) return 'closed';
    return new Promise((resolveState) => {
      const message = Buffer.from('ping');
      let got = 0;
      const done = (state: 'echo' | 'closed' | 'reset' | 'silent') => {
        clearTimeout(timer);
        socket.off('data', onData);
        socket.off('close', onClose);
        resolveState(state);
      };
      const onData = (d: Buffer) => {
        got += d.length;
        if (got >= message.length) done('echo');
      };
      const onClose = () => done(this.#seen.get(socket)?.error ? 'reset' : 'closed');
      const timer = setTimeout(() => done('silent'), waitMs);
      socket.on('data', onData);
      socket.on('close', onClose);
      socket.write(message);
    });
  }

  /** Whether a new client can connect to 127.0.0.1:port and get an echo through. */
  async connectState(port: number): Promise<'echo' | 'closed' | 'reset' | 'silent' | 'refused'> {
    let socket: Socket;
    try {
      socket = await this.connect(port);
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ECONNREFUSED' ? 'refused' : 'reset';
    }
    const state = await this.echoState(socket);
    socket.destroy();
    return state;
  }

  /** Removes every proxy (cutting their connections) and closes the clients of this side. */
  async clean(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    const { json } = await this.quiet('GET', '/proxies');
    for (const name of Object.keys(json as object)) await this.quiet('DELETE', `/proxies/${encodeURIComponent(name)}`);
  }

  async #request(method: string, path: string, body: unknown, headers: Record<string, string>) {
    const response = await fetch(`${this.server.url}${path}`, {
      method,
      headers,
      redirect: 'manual',
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    let text = await response.text();
    if (this.kind === 'real') for (const pattern of REAL_ONLY_TEXT) text = text.replace(pattern, '');
    let json: unknown = undefined;
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      json = undefined;
    }
    this.#learnListenPorts(json);
    const requestId = response.headers.get('x-toxiproxy-request-id');
    const normalised: Exchange = {
      request: `${method} ${path}${typeof body === 'string' ? ` ${body}` : body === undefined ? '' : ` ${this.#normalise(JSON.stringify(body))}`}`,
      status: response.status,
      headers: {
        'content-type': response.headers.get('content-type') ?? '(none)',
        'x-content-type-options': response.headers.get('x-content-type-options') ?? '(none)',
        'x-toxiproxy-request-id': requestId === null ? '(none)' : REQUEST_ID.test(requestId) ? '<xid>' : requestId,
        location: response.headers.get('location') ?? '(none)',
      },
      body: this.#normalise(text),
    };
    return { status: response.status, json, normalised };
  }

  /** Every `listen` in an answer names a port this side chose: give it a placeholder in order of appearance. */
  #learnListenPorts(json: unknown): void {
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value !== null && typeof value === 'object') {
        for (const [key, item] of Object.entries(value)) {
          if (key === 'listen' && typeof item === 'string') {
            const port = item.slice(item.lastIndexOf(':') + 1);
            if (port !== '0' && !this.#placeholders.has(port)) this.#placeholders.set(port, `<listen${this.#placeholders.size + 1}>`);
          } else visit(item);
        }
      }
    };
    visit(json);
  }

  /** Replaces known ports where they follow a host (`127.0.0.1:40123`), never a JSON key (`"latency":40123`). */
  #normalise(text: string): string {
    return text.replace(/(?<!"):(\d{1,5})(?!\d)/g, (whole, port: string) => {
      const placeholder = this.#placeholders.get(port);
      return placeholder === undefined ? whole : `:${placeholder}`;
    });
  }
}

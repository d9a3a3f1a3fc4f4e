/**
 * Real servers and processes on loopback for tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface CountingServer {
  url: string;
  port: number;
  /** Requests received so far. */
  readonly count: number;
  /** The last request's method, path, headers and body. */
  readonly last: { method: string; path: string; headers: IncomingMessage['headers']; body: string } | null;
  /** Every later request is answered with this status (and optional body and delay). */
  respond(status: number, body?: string, options?: { delayMs?: number; headers?: Record<string, string> }): void;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1:0 that counts requests and answers what it is told (200 "ok" at first). */
export async function startCountingServer(): Promise<CountingServer> {
  let count = 0;
  let last: CountingServer['last'] = null;
  let reply = { status: 200, body: 'ok', delayMs: 0, headers: {} as Record<string, string> };
  const server: Server = createServer((req, res) => {
    count += 1;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      last = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      const { status, body, delayMs, headers } = reply;
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(status, headers);
        res.end(body);
      };
      if (delayMs > 0) setTimeout(send, delayMs);
      else send();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get count() {
      return count;
    },
    get last() {
      return last;
    },
    respond(status, body = '', options = {}) {
      reply = { status, body, delayMs: options.delayMs ?? 0, headers: options.headers ?? {} };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The echo server fixture: an HTTP server that answers `ok <pid>`, on PORT or an OS-chosen port it prints. */
export const ECHO_SERVER = fileURLToPath(new URL('./fixtures/echo-server.mjs', import.meta.url));

/** Asks the OS for a free loopback port (closed again before returning, so a child can take it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A free port below the OS's ephemeral range, for a service that must be told its port before it starts and then
 * keeps it for seconds. A port taken from the ephemeral range (freePort) can be handed, in that time, to any other
 * test's port-0 server or outgoing connection running in parallel; one below the range never is (only a test with a
 * fixed port could take it).
 */
export async function freePortBelowEphemeral(): Promise<number> {
  const range = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').catch(() => '32768 60999');
  const low = Number(range.trim().split(/\s+/)[0]) || 32768;
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * Math.max(1, low - 20_000));
    const server = createServer();
    const bound = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (bound) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return port;
    }
  }
  return freePort();
}

/** Starts the echo server as a plain child (not through the plugin) and waits for its port. */
export async function spawnEchoServer(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [ECHO_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /listening (\d+)/.exec(text);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`echo server exited with ${code}`)));
  });
  return { child, port };
}

/** GET with a short timeout; null when it did not answer. */
export async function tryGet(url: string, timeoutMs = 500): Promise<string | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return await res.text();
  } catch {
    return null;
  }
}

/**
 * Serves a run's registry on `GET /metrics` (Prometheus text format) while the run lasts (`--metrics-port`).
 */
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import { ChaosError, ExitCode } from '../errors.js';
import { listeningPort } from '../os/listening-port.js';

export interface MetricsServer {
  /** e.g. http://127.0.0.1:9464/metrics */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * `listen` is `PORT` (on 127.0.0.1) or `HOST:PORT`; port 0 picks a free one. Loopback by default: exposing the
 * runner beyond the machine is a choice the operator writes out (`0.0.0.0:9464`).
 */
export function parseListen(listen: string): { host: string; port: number } {
  const match = /^(?:(.+):)?(\d+)$/.exec(listen.trim());
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535) {
    throw new ChaosError(`--metrics-port "${listen}" is not a port or host:port`, {
      code: 'E_METRICS_PORT',
      exitCode: ExitCode.InvalidInput,
      hint: 'e.g. --metrics-port 9464, or --metrics-port 0.0.0.0:9464 to be scraped from other machines',
    });
  }
  return { host: (match[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port };
}

export async function serveMetrics(registry: Registry, listen: string): Promise<MetricsServer> {
  const { host, port } = parseListen(listen);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(error)}\n`),
    );
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new ChaosError(`cannot serve metrics on ${host}:${port}: ${error.code ?? error.message}`, {
          code: 'E_METRICS_PORT',
          exitCode: ExitCode.Infrastructure,
          hint: error.code === 'EADDRINUSE' ? 'the port is taken: choose another with --metrics-port, or 0 for any free port' : undefined,
          cause: error,
        }),
      ),
    );
    server.listen(port, host, () => resolveListen());
  });
  const actual = listeningPort(server);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${actual}/metrics`,
    port: actual,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}

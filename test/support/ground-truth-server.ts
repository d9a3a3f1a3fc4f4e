/**
 * Servers whose behaviour is known exactly, to check measurements against ground truth (loopback, port 0):
 * - `/` answers 200 after a latency drawn from a fixed cycle, and 500 for a fixed fraction of requests;
 * - `POST /outage?ms=D` makes every request fail (503) for exactly D ms from its arrival;
 * - `POST /errors?every=N` makes every Nth request fail (0: none) (a fault that "breaks" the service);
 * - `POST /records` stores `{id}` and acknowledges; `GET /records/{id}` 200 or 404;
 *   `POST /lose?ms=L` drops every record acknowledged in the last L ms (a replica that lagged by L).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GroundTruthServer {
  url: string;
  /** When the last outage began and ends (epoch ms), for assertions. */
  outage(): { from: number; to: number } | null;
  /** Ids dropped by the last `/lose`. */
  dropped(): number[];
  /** Requests answered on `/` by status. */
  answered(): { ok: number; failed: number };
  close(): Promise<void>;
}

export interface GroundTruthOptions {
  /** Every Nth request on `/` answers 500 (0: never). */
  failEvery?: number;
  /** Latency cycle for `/`, ms, applied in turn. */
  latencies?: number[];
}

export async function startGroundTruthServer(options: GroundTruthOptions = {}): Promise<GroundTruthServer> {
  let failEvery = options.failEvery ?? 0;
  const latencies = options.latencies ?? [0];
  let outage: { from: number; to: number } | null = null;
  const records = new Map<number, number>();
  let dropped: number[] = [];
  let n = 0;
  const answered = { ok: 0, failed: 0 };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const now = Date.now();
    const send = (status: number, body = '') => {
      res.writeHead(status, { 'content-type': 'text/plain', connection: 'keep-alive' });
      res.end(body);
    };
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (req.method === 'POST' && url.pathname === '/outage') {
        outage = { from: now, to: now + Number(url.searchParams.get('ms')) };
        return send(200, 'outage');
      }
      if (req.method === 'POST' && url.pathname === '/errors') {
        failEvery = Number(url.searchParams.get('every'));
        return send(200, 'ok');
      }
      if (req.method === 'POST' && url.pathname === '/lose') {
        const cutoff = now - Number(url.searchParams.get('ms'));
        dropped = [...records].filter(([, ackAt]) => ackAt > cutoff).map(([id]) => id).sort((a, b) => a - b);
        for (const id of dropped) records.delete(id);
        return send(200, JSON.stringify(dropped));
      }
      if (outage && now >= outage.from && now < outage.to) return send(503, 'down');
      if (req.method === 'POST' && url.pathname === '/records') {
        const id = Number((JSON.parse(body || '{}') as { id?: unknown }).id);
        records.set(id, Date.now());
        return send(201, 'stored');
      }
      const record = /^\/records\/(\d+)$/.exec(url.pathname);
      if (record) return send(records.has(Number(record[1])) ? 200 : 404);
      if (url.pathname === '/healthz') return send(200, 'ok');
      const i = n++;
      const latency = latencies[i % latencies.length]!;
      const fail = failEvery > 0 && i % failEvery === 0;
      const answer = () => {
        if (fail) answered.failed++;
        else answered.ok++;
        send(fail ? 500 : 200, fail ? 'error' : 'ok');
      };
      if (latency > 0) setTimeout(answer, latency);
      else answer();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    outage: () => outage,
    dropped: () => dropped,
    answered: () => ({ ...answered }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

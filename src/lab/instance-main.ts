/**
 * One instance of the lab's orders service: a real process (started by the lab's supervisor) serving HTTP on
 * 127.0.0.1 over its region's SQLite database. It prints `{"port": N}` on its first stdout line once listening.
 *
 * Settings come from the environment the supervisor sets: LAB_REGION, LAB_INSTANCE, LAB_DB, LAB_VERSION, and for a
 * version flagged bad LAB_ERROR_RATE (0..1 of order requests answered 500) and LAB_ADDED_LATENCY_MS. LAB_HOST is
 * where it listens (default 127.0.0.1; 0.0.0.0 in a container, so Toxiproxy in another container reaches it).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { OrdersDb } from './orders-db.js';
import { messageOf } from '../errors.js';

const region = process.env.LAB_REGION ?? 'a';
const instance = process.env.LAB_INSTANCE ?? `${region}-1`;
const version = process.env.LAB_VERSION ?? '1.0.0';
const errorRate = Number(process.env.LAB_ERROR_RATE ?? 0);
const addedLatencyMs = Number(process.env.LAB_ADDED_LATENCY_MS ?? 0);
const db = new OrdersDb(process.env.LAB_DB ?? ':memory:');
const MAX_BODY = 64 * 1024;

const registry = new Registry();
registry.setDefaultLabels({ region, instance, version });
collectDefaultMetrics({ register: registry });
const requests = new Counter({ name: 'orders_http_requests_total', help: 'HTTP requests', labelNames: ['route', 'status'], registers: [registry] });
const latency = new Histogram({
  name: 'orders_http_request_duration_seconds',
  help: 'HTTP request latency',
  labelNames: ['route'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-lab-instance': instance, 'x-lab-version': version });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > MAX_BODY) throw new Error('body too large');
  }
  return text;
}

/** The behaviour of a version flagged bad: added latency, and a share of order requests failing. */
async function misbehave(res: ServerResponse): Promise<boolean> {
  if (addedLatencyMs > 0) await new Promise((r) => setTimeout(r, addedLatencyMs));
  if (errorRate > 0 && Math.random() < errorRate) {
    send(res, 500, { error: `version ${version} is broken` });
    return true;
  }
  return false;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<string> {
  const url = new URL(req.url ?? '/', 'http://lab');
  const path = url.pathname;
  if (req.method === 'GET' && path === '/healthz') {
    send(res, 200, { status: 'ok', region, instance, version, pid: process.pid });
    return 'healthz';
  }
  if (req.method === 'GET' && path === '/version') {
    send(res, 200, { version, region, instance });
    return 'version';
  }
  if (req.method === 'GET' && path === '/metrics') {
    res.writeHead(200, { 'content-type': registry.contentType });
    res.end(await registry.metrics());
    return 'metrics';
  }
  if (req.method === 'GET' && path === '/replication/log') {
    const after = Number(url.searchParams.get('after') ?? 0);
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 500), 5000);
    const before = Number(url.searchParams.get('before') ?? Number.MAX_SAFE_INTEGER);
    send(res, 200, { rows: db.since(after, limit, before) });
    return 'replication';
  }
  if (path === '/orders' && req.method === 'POST') {
    const text = await readBody(req);
    if (await misbehave(res)) return 'orders';
    let parsed: { id?: unknown } = {};
    try {
      parsed = text.trim() === '' ? {} : (JSON.parse(text) as { id?: unknown });
    } catch {
      send(res, 400, { error: 'the body is not JSON' });
      return 'orders';
    }
    const id = parsed.id === undefined || parsed.id === null ? randomUUID() : String(parsed.id);
    const row = db.insert(id, text === '' ? '{}' : text, region);
    send(res, 201, { id: row.id, createdAt: row.createdAt, region, instance });
    return 'orders';
  }
  if (req.method === 'GET' && path === '/orders/health') {
    if (await misbehave(res)) return 'orders';
    send(res, 200, { status: 'ok', orders: db.count(), region, instance, version });
    return 'orders';
  }
  const match = /^\/orders\/([^/]+)$/.exec(path);
  if (req.method === 'GET' && match) {
    if (await misbehave(res)) return 'orders';
    const row = db.get(decodeURIComponent(match[1]));
    if (row === null) send(res, 404, { error: 'no such order', region });
    else send(res, 200, { id: row.id, createdAt: row.createdAt, origin: row.origin, region, instance });
    return 'orders';
  }
  send(res, 404, { error: `no route ${req.method} ${path}` });
  return 'unknown';
}

const server = createServer((req, res) => {
  const end = latency.startTimer();
  handle(req, res)
    .then((route) => {
      end({ route });
      requests.inc({ route, status: String(res.statusCode) });
    })
    .catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: messageOf(error) });
      else res.destroy();
    });
});
server.keepAliveTimeout = 5_000;

server.listen({ host: process.env.LAB_HOST || '127.0.0.1', port: Number(process.env.PORT ?? 0) }, () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ port, pid: process.pid })}\n`);
});

function shutdown(): void {
  // Graceful, as a pod on SIGTERM: stop accepting, let in-flight requests finish, then exit.
  server.close(() => {
    db.close();
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 2_000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

// An instance never outlives its lab: if the lab process is gone (we were re-parented), exit.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 500).unref();

/**
 * The lab's admin API under `/admin/` on the router: what the `lab` plugin's faults and actions drive, and what
 * `chaos lab status` shows. Requests and answers are JSON; a bad request answers 400 with `{ "error" }`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { DeployRequest, InstanceInfo, LabStatus, RegionStatus } from './contract/lab-status.js';
import { deploy, rollback } from './deploy.js';
import { readEventLog } from './event-log.js';
import type { Lab } from './lab.js';
import { REPLICATION_PROXY, type Region } from './contract/lab-settings.js';
import { messageOf } from '../errors.js';

class BadRequest extends Error {}

export async function handleAdmin(lab: Lab, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://lab');
  const body = req.method === 'POST' ? await readJson(req) : {};
  try {
    const answer = await route(lab, req.method ?? 'GET', url.pathname, body);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  } catch (error) {
    const status = error instanceof BadRequest ? 400 : 500;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: messageOf(error) }));
  }
}

async function route(lab: Lab, method: string, path: string, body: Record<string, unknown>): Promise<unknown> {
  const regionPath = /^\/admin\/regions\/([^/]+)\/(outage|latency)(?:\/([^/]+))?$/.exec(path);
  if (method === 'GET' && path === '/admin/status') return status(lab);
  if (method === 'GET' && path === '/admin/info') return lab.info;
  if (method === 'GET' && path === '/admin/events') {
    // The lab's own log, and its agents' (a distributed lab's instance exits and restarts), in time order.
    const events = [...readEventLog(lab.events.path), ...(await lab.instances.events())];
    return events.sort((x, y) => x.at - y.at);
  }
  const killPath = /^\/admin\/instances\/([^/]+)\/kill$/.exec(path);
  if (method === 'POST' && killPath !== null) {
    const name = killPath[1];
    if (!lab.regions.a.includes(name) && !lab.regions.b.includes(name)) throw new BadRequest(`no instance "${name}"; instances: ${[...lab.regions.a, ...lab.regions.b].join(', ')}`);
    const signal = body.signal ?? 'SIGKILL';
    if (signal !== 'SIGKILL' && signal !== 'SIGTERM') throw new BadRequest('signal is SIGKILL or SIGTERM');
    const killed = await lab.instances.kill(name, signal);
    lab.events.record('instance-killed', { instance: name, pid: killed.pid, signal });
    return killed;
  }
  if (method === 'POST' && regionPath?.[2] === 'outage') {
    const region = regionOf(regionPath[1]);
    return setEnabled(lab, lab.regions[region], body.down !== true, `region-${body.down === true ? 'outage' : 'restored'}`, { region });
  }
  if (method === 'POST' && path === '/admin/replication') {
    return setEnabled(lab, [REPLICATION_PROXY], body.down !== true, `replication-link-${body.down === true ? 'cut' : 'healed'}`, {});
  }
  if (method === 'POST' && regionPath?.[2] === 'latency' && regionPath[3] !== undefined) {
    const region = regionOf(regionPath[1]);
    const latency = numberOf(body.latencyMs, 'latencyMs');
    const jitter = numberOf(body.jitterMs ?? 0, 'jitterMs');
    // Idempotent: a toxic added before a retry is left as it is.
    for (const name of lab.regions[region]) await lab.proxies.addLatency(name, { name: regionPath[3], latencyMs: latency, jitterMs: jitter });
    lab.events.record('latency-added', { region, latencyMs: latency, jitterMs: jitter, toxic: regionPath[3] });
    return { region, toxic: regionPath[3] };
  }
  if (method === 'DELETE' && regionPath?.[2] === 'latency' && regionPath[3] !== undefined) {
    const region = regionOf(regionPath[1]);
    let removed = 0;
    for (const name of lab.regions[region]) if (await lab.proxies.removeToxic(name, regionPath[3])) removed++;
    if (removed > 0) lab.events.record('latency-removed', { region, toxic: regionPath[3] });
    return { region, removed };
  }
  if (method === 'POST' && path === '/admin/failback') return lab.router.failback(body.region === 'b' ? 'b' : 'a');
  if (method === 'POST' && path === '/admin/backup') {
    const region = body.region === undefined ? lab.router.primary : regionOf(body.region);
    const file = join(lab.dir, 'backups', `${new Date().toISOString().replace(/[:.]/g, '-')}-${region}-${randomBytes(2).toString('hex')}.db`);
    const at = Date.now();
    await lab.dbs[region].backup(file);
    lab.lastBackup = file;
    const newest = lab.dbs[region].newest();
    lab.events.record('backup', { region, path: file, rows: lab.dbs[region].count(), newest: newest && { id: newest.id, createdAt: newest.createdAt } });
    return { region, path: file, at, durationMs: Date.now() - at };
  }
  if (method === 'POST' && path === '/admin/destroy-data') {
    const region = body.region === undefined ? lab.router.primary : regionOf(body.region);
    const deleted = lab.dbs[region].clear();
    lab.events.record('data-destroyed', { region, deleted });
    return { region, deleted };
  }
  if (method === 'POST' && path === '/admin/restore') {
    const region = body.region === undefined ? lab.router.primary : regionOf(body.region);
    const path = body.path ?? lab.lastBackup;
    if (typeof path !== 'string' || !path.startsWith(join(lab.dir, 'backups'))) throw new BadRequest('nothing to restore: take a backup first (`lab.backup`), or name one of this lab\'s backups');
    // A restore that names a token happens once: a revert run again after a crash must not wipe newer writes.
    const token = typeof body.token === 'string' ? body.token : null;
    if (token !== null && lab.restoredTokens.has(token)) return { region, rows: 0, durationMs: 0, alreadyRestored: true };
    const at = Date.now();
    const rows = lab.dbs[region].restoreFrom(path);
    if (token !== null) lab.restoredTokens.add(token);
    lab.events.record('restored', { region, path, rows, startedAt: at, durationMs: Date.now() - at });
    return { region, rows, durationMs: Date.now() - at };
  }
  if (method === 'POST' && path === '/admin/deploy') return deploy(lab, deployRequest(body));
  if (method === 'POST' && path === '/admin/rollback') return rollback(lab);
  throw new BadRequest(`no admin route ${method} ${path}`);
}

async function status(lab: Lab): Promise<LabStatus> {
  const instances = await lab.instances.snapshot();
  return {
    name: lab.settings.name,
    pid: process.pid,
    primary: lab.router.primary,
    promoting: lab.router.promoting,
    regions: { a: regionStatus(lab, 'a', instances), b: regionStatus(lab, 'b', instances) },
    replication: lab.replicator.status(),
    router: { served: lab.router.servedResponses, failed: lab.router.failedResponses },
    orders: { a: lab.dbs.a.count(), b: lab.dbs.b.count() },
    lastBackup: lab.lastBackup,
  };
}

function regionStatus(lab: Lab, region: Region, instances: readonly InstanceInfo[]): RegionStatus {
  return {
    healthy: lab.router.regionHealthy(region),
    reachable: lab.regions[region].some((n) => lab.addressOf(n) !== null),
    instances: instances.filter((i) => i.region === region).map((i) => ({ ...i, ...lab.router.instanceStats(i.name), proxy: lab.proxies.describe(i.name) })),
  };
}

async function setEnabled(lab: Lab, names: string[], enabled: boolean, event: string, details: Record<string, unknown>) {
  let changed = 0;
  for (const name of names) if (await lab.proxies.setEnabled(name, enabled)) changed++;
  // Logged only when something changed, so an idempotent repeat does not fake a second outage in the ground truth.
  if (changed > 0) lab.events.record(event, details);
  return { proxies: names, enabled, changed };
}

function deployRequest(body: Record<string, unknown>): DeployRequest {
  if (typeof body.version !== 'string' || body.version === '') throw new BadRequest('deploy needs a `version`');
  const strategy = body.strategy ?? 'rolling';
  if (strategy !== 'rolling' && strategy !== 'canary') throw new BadRequest('strategy is rolling or canary');
  return {
    version: body.version,
    strategy,
    errorRate: numberOf(body.errorRate ?? 0, 'errorRate'),
    addedLatencyMs: numberOf(body.addedLatencyMs ?? 0, 'addedLatencyMs'),
    observeMs: numberOf(body.observeMs ?? 3000, 'observeMs'),
    maxErrorRate: numberOf(body.maxErrorRate ?? 0.05, 'maxErrorRate'),
    pauseMs: numberOf(body.pauseMs ?? 200, 'pauseMs'),
  };
}

function regionOf(value: unknown): Region {
  if (value === 'a' || value === 'b') return value;
  throw new BadRequest(`no region "${String(value)}"; regions: a, b`);
}

function numberOf(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new BadRequest(`\`${what}\` must be a number ≥ 0`);
  return value;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

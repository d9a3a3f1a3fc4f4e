/**
 * An instance agent of the distributed lab (one per orders container in docker-compose): it runs one orders
 * instance (`instance-main`) as its child on a fixed port, restarts it `LAB_RESTART_DELAY` after it dies (the
 * supervisor's job, like a kubelet restarting a pod's container: it is a Supervisor of one), and serves the small
 * HTTP API the control service drives:
 *   GET  /status   → the instance: pid, port, release (version), running, restarts
 *   GET  /healthz  → 200 while the instance runs (compose's healthcheck), else 503
 *   GET  /events   → its ground-truth log (instance started, exited, restarted), which the control service merges
 *   POST /kill     {"signal": "SIGKILL" | "SIGTERM"} → the instance gets the signal (a crash; it is restarted)
 *   POST /release  {"version", "errorRate", "addedLatencyMs"} → restarted on that release (deploy, rollback)
 * Settings: see AGENT_ENV in lab-env.ts. It prints `{"agent", "pid", "instance", "instancePort"}` once serving,
 * stops its instance on SIGTERM/SIGINT, and its instance exits when the agent is gone.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { EventLog, readEventLog } from './event-log.js';
import { agentConfig, type AgentConfig } from './lab-env.js';
import type { Release } from './contract/lab-status.js';
import { INITIAL_RELEASE } from './lab-instances.js';
import { Supervisor } from './supervisor.js';
import { messageOf } from '../errors.js';
import { listeningPort } from '../os/listening-port.js';

let config: AgentConfig;
try {
  config = agentConfig(process.env);
} catch (error) {
  process.stderr.write(`agent: ${messageOf(error)}\n`);
  process.exit(2);
}
const { instance, region } = config;
const events = new EventLog(config.eventsPath ?? join(dirname(config.db), `agent-${instance}.jsonl`));
const supervisor = new Supervisor({ restartDelayMs: config.restartDelayMs, events });
supervisor.add(instance, region, config.db, INITIAL_RELEASE, config.instancePort);

function status() {
  const info = supervisor.list()[0];
  const restarts = supervisor.restartsOf(instance);
  if (info === undefined) return { name: instance, region, pid: 0, startTime: null, port: config.instancePort, release: supervisor.releaseOf(instance), running: false, restarts };
  return { ...info, restarts };
}

function releaseOf(body: Record<string, unknown>): Release {
  const number = (v: unknown, what: string) => {
    if (v === undefined) return 0;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`\`${what}\` must be a number ≥ 0`);
    return v;
  };
  if (typeof body.version !== 'string' || body.version === '') throw new RangeError('a release needs a `version`');
  return { version: body.version, errorRate: number(body.errorRate, 'errorRate'), addedLatencyMs: number(body.addedLatencyMs, 'addedLatencyMs') };
}

async function route(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
  const path = new URL(req.url ?? '/', 'http://agent').pathname;
  let text = '';
  for await (const chunk of req) text += String(chunk);
  const body = (text.trim() === '' ? {} : JSON.parse(text)) as Record<string, unknown>;
  if (req.method === 'GET' && path === '/status') return { status: 200, body: status() };
  if (req.method === 'GET' && path === '/events') return { status: 200, body: readEventLog(events.path) };
  if (req.method === 'GET' && path === '/healthz') {
    const s = status();
    return { status: s.running ? 200 : 503, body: s };
  }
  if (req.method === 'POST' && path === '/kill') {
    const signal = body.signal ?? 'SIGKILL';
    if (signal !== 'SIGKILL' && signal !== 'SIGTERM') return { status: 400, body: { error: 'signal is SIGKILL or SIGTERM' } };
    return { status: 200, body: await supervisor.kill(instance, signal) };
  }
  if (req.method === 'POST' && path === '/release') return { status: 200, body: await supervisor.replace(instance, releaseOf(body)) };
  return { status: 404, body: { error: `no route ${req.method} ${path}` } };
}

const server = createServer((req, res: ServerResponse) => {
  route(req).then(
    ({ status: code, body }) => res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
    (error: unknown) => {
      const code = error instanceof RangeError || error instanceof SyntaxError ? 400 : 500;
      res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify({ error: messageOf(error) }));
    },
  );
});

let stopping: Promise<void> | null = null;
const stop = () => {
  stopping ??= supervisor
    .stopAll()
    .catch((error: unknown) => void process.stderr.write(`agent ${instance}: stopping failed: ${String(error)}\n`))
    .finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

try {
  await supervisor.startAll();
  // The proxy in front forwards to one port: a restart must listen where the first start did.
  if (config.instancePort === 0) supervisor.pinPort(instance, status().port);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: config.listen.host, port: config.listen.port }, resolve);
  });
  events.record('agent-started', { instance, region, pid: process.pid, port: listeningPort(server) });
  const { pid: instancePid, port: instancePort } = status();
  process.stdout.write(`${JSON.stringify({ agent: listeningPort(server), pid: process.pid, instance: instancePid, instancePort })}\n`);
} catch (error) {
  process.stderr.write(`agent ${instance}: cannot start: ${messageOf(error)}\n`);
  await supervisor.stopAll().catch(() => undefined);
  process.exit(1);
}

/**
 * docker-compose.yml's lab topology as local processes on 127.0.0.1, for the e2e test: the four instance agents
 * (each running its orders instance), `chaos proxy serve` standing in for the Toxiproxy image with the compose
 * Toxiproxy config, and the control service, each started with its compose service's environment, in which only
 * hosts, ports and paths are replaced by local ones (container names → 127.0.0.1, fixed ports → free ones, volumes
 * → a temp dir). `stop()` stops every process it started and reports any still alive.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'yaml';
import { isProcessAlive, processStartTime, type ProcessIdentity } from '../../src/os/process-identity.js';
import { readEventLog } from '../../src/lab/event-log.js';
import { CHAOS_BIN, ROOT } from './cli.js';

interface ComposeService {
  environment?: Record<string, string>;
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  configs: Record<string, { content: string }>;
}

export interface DistributedLab {
  /** The control service's router and admin API. */
  url: string;
  proxyApi: string;
  dir: string;
  /** Every agent's event log (instance started/exited/restarted). */
  agentEvents: string[];
  /** Every process the topology started, agents' instances included (from the agents' event logs). */
  processes(): ProcessIdentity[];
  stop(): Promise<ProcessIdentity[]>;
}

const START_TIMEOUT_MS = 20_000;

export function readCompose(): ComposeFile {
  return parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;
}

export async function startDistributedLab(dir: string): Promise<DistributedLab> {
  const compose = readCompose();
  const children: ChildProcess[] = [];
  const agentEvents: string[] = [];
  const stop = async (): Promise<ProcessIdentity[]> => {
    const known = processesOf(children, agentEvents);
    // The control service first (it stops driving), then the agents (they stop their instances), then the proxy.
    for (const child of children) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    // An instance whose agent is gone exits within 0.5 s (it watches its parent); give it a second.
    const deadline = Date.now() + 2_000;
    while (Date.now() < deadline && known.some((p) => isProcessAlive(p))) await new Promise((r) => setTimeout(r, 50));
    return known.filter((p) => isProcessAlive(p));
  };
  try {
    const data = { a: join(dir, 'region-a'), b: join(dir, 'region-b'), lab: join(dir, 'lab') };
    for (const d of Object.values(data)) await mkdir(d, { recursive: true });

    // Agents: their compose environment, with local paths and ports.
    const agentServices = Object.entries(compose.services).filter(([, s]) => s.environment?.LAB_AGENT_LISTEN !== undefined);
    const instancePorts = new Map<string, number>();
    const agentUrls = new Map<string, string>();
    // Started together (each takes a second or so to get its instance listening).
    await Promise.all(
      agentServices.map(async ([service, { environment: env }]) => {
        const region = env!.LAB_REGION as 'a' | 'b';
        const events = join(data[region], `agent-${env!.LAB_INSTANCE}.jsonl`);
        agentEvents.push(events);
        const child = spawnNode(join(ROOT, 'dist/lab/agent-main.js'), [], {
          ...env!,
          LAB_DB: join(data[region], env!.LAB_DB!.split('/').at(-1)!),
          LAB_HOST: '127.0.0.1',
          // OS-chosen at the first start, kept for restarts (compose fixes it).
          LAB_INSTANCE_PORT: '0',
          LAB_AGENT_LISTEN: '127.0.0.1:0',
          LAB_AGENT_EVENTS: events,
        });
        children.push(child);
        const first = (await firstLine(child, `agent ${service}`)) as { agent: number; instancePort: number };
        instancePorts.set(service, first.instancePort);
        agentUrls.set(env!.LAB_INSTANCE!, `http://127.0.0.1:${first.agent}`);
      }),
    );

    // The proxy: compose's Toxiproxy config, every `service:port` upstream made local, every listen port OS-chosen.
    // The control service's apply port is only known once it listens: until then `replication` points nowhere
    // (port 1 refuses; nothing is written before, so nothing is shipped).
    const control = compose.services.lab!.environment!;
    const localUpstream = (upstream: string) => {
      const [host, port] = upstream.split(':');
      if (host === 'lab' && port === control.LAB_APPLY_LISTEN!.split(':')[1]) return '127.0.0.1:1';
      const local = instancePorts.get(host!);
      if (local === undefined) throw new Error(`the compose Toxiproxy config forwards to ${upstream}, which no local process stands in for`);
      return `127.0.0.1:${local}`;
    };
    const proxies = (JSON.parse(compose.configs.toxiproxy!.content) as Array<{ name: string; listen: string; upstream: string; enabled: boolean }>).map((p) => ({
      ...p,
      listen: '127.0.0.1:0',
      upstream: localUpstream(p.upstream),
    }));
    const configFile = join(dir, 'toxiproxy.json');
    await writeFile(configFile, JSON.stringify(proxies));
    const proxy = spawnNode(CHAOS_BIN, ['proxy', 'serve', '--listen', '127.0.0.1:0', '--config', configFile], {});
    children.push(proxy);
    const proxyApi = await urlLine(proxy, 'chaos proxy serve');

    // The control service: its compose environment, with local addresses.
    const env: Record<string, string> = {
      ...control,
      LAB_DIR: data.lab,
      LAB_TOXIPROXY_URL: proxyApi,
      LAB_AGENTS: [...agentUrls].map(([name, url]) => `${name}=${url}`).join(','),
      LAB_DB_A: join(data.a, control.LAB_DB_A!.split('/').at(-1)!),
      LAB_DB_B: join(data.b, control.LAB_DB_B!.split('/').at(-1)!),
      LAB_LISTEN: '127.0.0.1:0',
      LAB_APPLY_LISTEN: '127.0.0.1:0',
      LAB_PUBLIC_URL: '',
      LAB_PUBLIC_PROXY_API: '',
      LAB_PUBLIC_PROXY_HOST: '',
    };
    const controlChild = spawnNode(join(ROOT, 'dist/lab/control-main.js'), [], env);
    // Stopped first: it drives the others.
    children.unshift(controlChild);
    const { url, apply } = (await firstLine(controlChild, 'the control service')) as { url: string; apply: number };
    const repointed = await fetch(`${proxyApi}/proxies/replication`, { method: 'POST', body: JSON.stringify({ upstream: `127.0.0.1:${apply}` }) });
    if (!repointed.ok) throw new Error(`cannot point the replication proxy at the apply endpoint: ${repointed.status} ${await repointed.text()}`);
    return { url, proxyApi, dir: data.lab, agentEvents, processes: () => processesOf(children, agentEvents), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function spawnNode(file: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [file, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
}

function processesOf(children: readonly ChildProcess[], agentEvents: readonly string[]): ProcessIdentity[] {
  const own = children.flatMap((c) => (c.pid === undefined ? [] : [{ pid: c.pid, startTime: processStartTime(c.pid) ?? null }]));
  const instances = agentEvents.flatMap((path) =>
    readEventLog(path).flatMap((e) => (e.event === 'instance-started' && typeof e.pid === 'number' ? [{ pid: e.pid, startTime: typeof e.startTime === 'string' ? e.startTime : null }] : [])),
  );
  return [...own, ...instances];
}

/** The first stdout line of a process, as JSON. */
async function firstLine(child: ChildProcess, what: string): Promise<unknown> {
  return JSON.parse(await lineMatching(child, what, () => true));
}

/** The first http URL a process prints. */
async function urlLine(child: ChildProcess, what: string): Promise<string> {
  const line = await lineMatching(child, what, (l) => /http:\/\/127\.0\.0\.1:\d+/.test(l));
  return /http:\/\/127\.0\.0\.1:\d+/.exec(line)![0];
}

function lineMatching(child: ChildProcess, what: string, matches: (line: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    lines.on('line', (line) => {
      if (!matches(line)) return;
      clearTimeout(timer);
      lines.removeAllListeners('line');
      // Keep draining stdout so the process never blocks on a full pipe.
      child.stdout!.resume();
      resolve(line);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited before it served (${signal ?? `code ${code}`})`));
    });
  });
}

/**
 * The environment variables the distributed lab's processes read (`control-main.ts`, `agent-main.ts`): the lists
 * are exported so the docker-compose test checks that compose sets every one. Settings are read once at start; a
 * bad value stops the process with a message naming the variable.
 */
import { parseHostPort, type HostPort } from '../proxy/address.js';
import { parseDuration } from '../units/duration.js';
import { instanceNames, labSettingsSchema, REGIONS, type LabSettings, type Region } from './contract/lab-settings.js';

/** Read by the control service (router, admin API, replicator). */
export const CONTROL_ENV = [
  'LAB_DIR',
  'LAB_NAME',
  'LAB_INSTANCES',
  'LAB_REPLICATION_LAG',
  'LAB_HEALTH_INTERVAL',
  'LAB_FAILOVER_AFTER',
  'LAB_PROMOTION_TIME',
  'LAB_TOXIPROXY_URL',
  'LAB_AGENTS',
  'LAB_DB_A',
  'LAB_DB_B',
  'LAB_LISTEN',
  'LAB_APPLY_LISTEN',
  'LAB_PUBLIC_URL',
  'LAB_PUBLIC_PROXY_API',
  'LAB_PUBLIC_PROXY_HOST',
  'LAB_PROXY_REFRESH',
  'LAB_START_TIMEOUT',
] as const;

/** Read by an instance agent; it passes LAB_HOST, LAB_REGION, LAB_INSTANCE and LAB_DB on to its instance. */
export const AGENT_ENV = [
  'LAB_INSTANCE',
  'LAB_REGION',
  'LAB_DB',
  'LAB_HOST',
  'LAB_INSTANCE_PORT',
  'LAB_AGENT_LISTEN',
  'LAB_RESTART_DELAY',
  'LAB_AGENT_EVENTS',
] as const;

type Env = Record<string, string | undefined>;

export class EnvError extends Error {}

export interface ControlConfig {
  dir: string;
  settings: LabSettings;
  toxiproxyUrl: string;
  /** Instance name → its agent's URL. */
  agents: Record<string, string>;
  dbs: Record<Region, string>;
  listen: HostPort;
  applyListen: HostPort;
  publicUrl: string | undefined;
  publicProxyApi: string | undefined;
  publicProxyHost: string | undefined;
  proxyRefreshMs: number;
  startTimeoutMs: number;
}

export function controlConfig(env: Env): ControlConfig {
  const parsed = labSettingsSchema.safeParse({
    name: optional(env, 'LAB_NAME'),
    instances: env.LAB_INSTANCES === undefined ? undefined : Number(env.LAB_INSTANCES),
    replicationLag: optional(env, 'LAB_REPLICATION_LAG'),
    healthInterval: optional(env, 'LAB_HEALTH_INTERVAL'),
    failoverAfter: env.LAB_FAILOVER_AFTER === undefined ? undefined : Number(env.LAB_FAILOVER_AFTER),
    promotionTime: optional(env, 'LAB_PROMOTION_TIME'),
  });
  if (!parsed.success) throw new EnvError(`bad lab settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const settings = parsed.data;
  const agents = Object.fromEntries(
    required(env, 'LAB_AGENTS')
      .split(',')
      .map((pair) => pair.trim().split('='))
      .map(([name, url]) => [name ?? '', url ?? '']),
  );
  const expected = REGIONS.flatMap((r) => instanceNames(r, settings.instances));
  const missing = expected.filter((n) => !agents[n]?.startsWith('http'));
  if (missing.length > 0) throw new EnvError(`LAB_AGENTS has no agent URL for ${missing.join(', ')} (write a-1=http://host:port,…)`);
  return {
    dir: required(env, 'LAB_DIR'),
    settings,
    toxiproxyUrl: required(env, 'LAB_TOXIPROXY_URL').replace(/\/$/, ''),
    agents,
    dbs: { a: required(env, 'LAB_DB_A'), b: required(env, 'LAB_DB_B') },
    listen: hostPort(env, 'LAB_LISTEN', '127.0.0.1:8080'),
    applyListen: hostPort(env, 'LAB_APPLY_LISTEN', '127.0.0.1:8081'),
    publicUrl: optional(env, 'LAB_PUBLIC_URL'),
    publicProxyApi: optional(env, 'LAB_PUBLIC_PROXY_API'),
    publicProxyHost: optional(env, 'LAB_PUBLIC_PROXY_HOST'),
    proxyRefreshMs: duration(env, 'LAB_PROXY_REFRESH', '500ms'),
    startTimeoutMs: duration(env, 'LAB_START_TIMEOUT', '60s'),
  };
}

export interface AgentConfig {
  instance: string;
  region: Region;
  db: string;
  instancePort: number;
  listen: HostPort;
  restartDelayMs: number;
  eventsPath: string | undefined;
}

export function agentConfig(env: Env): AgentConfig {
  const region = required(env, 'LAB_REGION');
  if (region !== 'a' && region !== 'b') throw new EnvError(`LAB_REGION is "${region}"; regions: a, b`);
  const port = Number(required(env, 'LAB_INSTANCE_PORT'));
  // 0: the OS picks one at the first start, kept for every restart (tests); compose fixes it, as its proxy's upstream.
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new EnvError('LAB_INSTANCE_PORT must be a port (0-65535): the proxy in front of the instance forwards to it');
  return {
    instance: required(env, 'LAB_INSTANCE'),
    region,
    db: required(env, 'LAB_DB'),
    instancePort: port,
    listen: hostPort(env, 'LAB_AGENT_LISTEN', '127.0.0.1:9000'),
    restartDelayMs: duration(env, 'LAB_RESTART_DELAY', '1s'),
    eventsPath: optional(env, 'LAB_AGENT_EVENTS'),
  };
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function required(env: Env, name: string): string {
  const value = optional(env, name);
  if (value === undefined) throw new EnvError(`${name} is not set`);
  return value;
}

function hostPort(env: Env, name: string, fallback: string): HostPort {
  const text = optional(env, name) ?? fallback;
  const parsed = parseHostPort(text);
  if (parsed === null) throw new EnvError(`${name} is "${text}", not host:port`);
  return parsed;
}

function duration(env: Env, name: string, fallback: string): number {
  const result = parseDuration(optional(env, name) ?? fallback);
  if (!result.ok) throw new EnvError(`${name}: ${result.message} (${result.hint})`);
  return result.ms;
}

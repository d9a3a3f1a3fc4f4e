/**
 * A connected lab target. Under `run` it uses the lab `chaos lab up` started under the same name, if one runs
 * (and leaves it running), or starts its own lab process (recorded in the ledger as `process.managed`, so `chaos
 * recover` stops it and its instances, one process group, after the runner died) and stops it at close. Under
 * `plan` and `recover` it starts nothing: faults carry the lab's address and identity in their recorded state.
 * With `url` (a distributed lab, e.g. docker-compose's), it starts nothing either: it checks that the lab's admin
 * API answers and takes the attributes from `GET /admin/info`.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChaosError, ExitCode, messageOf } from '../../errors.js';
import { isProcessAlive } from '../../os/process-identity.js';
import { labInfoPath, readLabInfo, type LabInfo } from '../../lab/contract/lab-info.js';
import { labScript } from '../../lab/contract/lab-scripts.js';
import { labSettingsSchema, type LabSettings } from '../../lab/contract/lab-settings.js';
import type { ConnectPurpose, Connection, PluginContext, TargetAttributes } from '../api.js';
import { ManagedProcess } from '../shared/managed-process.js';
import { labAdmin } from '../../lab/contract/admin-client.js';
import { upLabDir } from '../../lab/contract/up-lab-dir.js';
import { LAB_ATTRIBUTES } from './specs.js';

const START_TIMEOUT_MS = 20_000;
const CONNECT_TIMEOUT_MS = 5_000;

export class LabSession {
  constructor(
    readonly targetName: string,
    readonly settings: LabSettings,
    readonly purpose: ConnectPurpose,
    /** Null under `plan` and `recover`: no lab was started or found. */
    readonly info: LabInfo | null,
  ) {}

  /** A distributed lab, reached at the target's `url`. */
  get remote(): boolean {
    return this.settings.url !== undefined;
  }

  requireInfo(): LabInfo {
    if (this.info === null) {
      throw new ChaosError(`target ${this.targetName}: the lab is not running (connected for ${this.purpose})`, {
        code: 'E_LAB_NOT_RUNNING',
        exitCode: ExitCode.Failed,
      });
    }
    return this.info;
  }

  admin<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    return labAdmin<T>(this.requireInfo().url, method, path, body, signal);
  }
}

export async function connectLab(settings: LabSettings, ctx: PluginContext): Promise<Connection<LabSession>> {
  if (ctx.purpose !== 'run') {
    return { session: new LabSession(ctx.targetName, settings, ctx.purpose, null), attributes: plannedAttributes(settings.url) };
  }
  if (settings.url !== undefined) return connectRemote(settings, settings.url, ctx);
  const up = ctx.stateDir === undefined ? null : await readLabInfo(labInfoPath(upLabDir(ctx.stateDir, settings.name)));
  if (up !== null && isProcessAlive({ pid: up.pid, startTime: up.startTime })) {
    ctx.logger.info(`target ${ctx.targetName}: using lab "${settings.name}" started by \`chaos lab up\` at ${up.url}; it keeps running after the run`);
    return { session: new LabSession(ctx.targetName, settings, ctx.purpose, up), attributes: attributesOf(up) };
  }

  const dir = join(ctx.workDir, `${ctx.targetName}-lab`);
  const script = labScript('lab-main');
  const managed = new ManagedProcess({
    command: [process.execPath, ...script.execArgv, script.file],
    cwd: undefined,
    env: { LAB_DIR: dir, LAB_SETTINGS: JSON.stringify(settings) },
    ready: undefined,
    logFile: join(ctx.workDir, `${ctx.targetName}-lab.log`),
    resources: ctx.resources,
    logger: ctx.logger,
  });
  await managed.start(ctx.signal);
  try {
    const info = await waitForLab(managed, dir, ctx.signal);
    ctx.logger.info(`target ${ctx.targetName}: lab serving at ${info.url} (pid ${info.pid}, events in ${info.events})`);
    return {
      session: new LabSession(ctx.targetName, settings, ctx.purpose, info),
      attributes: attributesOf(info),
      close: () => managed.stop(),
    };
  } catch (error) {
    await managed.stop();
    throw error;
  }
}

async function waitForLab(managed: ManagedProcess, dir: string, signal: AbortSignal): Promise<LabInfo> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const info = await readLabInfo(labInfoPath(dir));
    if (info !== null) return info;
    if (managed.runningIdentity() === null || Date.now() > deadline) {
      throw new ChaosError(`the lab did not start within ${START_TIMEOUT_MS / 1000} s`, {
        code: 'E_LAB_START',
        exitCode: ExitCode.Infrastructure,
        hint: `see the lab's log next to the journal (${dir}.log)`,
      });
    }
    await sleep(50, undefined, { signal });
  }
}

function attributesOf(info: LabInfo): TargetAttributes {
  return {
    url: info.url,
    proxyApi: info.proxyApi,
    events: info.events,
    dir: info.dir,
    pid: info.pid,
    regionA: info.regions.a?.[0] ?? '',
    regionB: info.regions.b?.[0] ?? '',
    proxies: info.proxies.join(','),
  };
}

function plannedAttributes(url: string | undefined): TargetAttributes {
  const later = 'known once the lab runs';
  return { ...Object.fromEntries(LAB_ATTRIBUTES.map((a) => [a, later])), ...(url === undefined ? {} : { url: url.replace(/\/$/, '') }) };
}

/** A running distributed lab: nothing is started or stopped; its admin API must answer. */
async function connectRemote(settings: LabSettings, url: string, ctx: PluginContext): Promise<Connection<LabSession>> {
  const base = url.replace(/\/$/, '');
  let info: LabInfo;
  try {
    info = await labAdmin<LabInfo>(base, 'GET', '/admin/info', undefined, AbortSignal.any([ctx.signal, AbortSignal.timeout(CONNECT_TIMEOUT_MS)]));
  } catch (error) {
    throw new ChaosError(`target ${ctx.targetName}: the lab at ${base} does not answer: ${messageOf(error)}`, {
      code: 'E_LAB_UNREACHABLE',
      exitCode: ExitCode.Infrastructure,
      hint: 'start it (docker compose up -d --build) and check that `url` is its control service, e.g. http://127.0.0.1:8080',
      cause: error,
    });
  }
  // Settings given next to `url` would be silently ignored: say so (the lab's own LAB_* environment applies).
  const defaults = labSettingsSchema.parse({}) as Record<string, unknown>;
  const ignored = Object.entries(settings).filter(([key, value]) => key !== 'url' && key !== 'name' && defaults[key] !== value).map(([key]) => key);
  if (ignored.length > 0) ctx.logger.warn(`target ${ctx.targetName}: ${ignored.join(', ')} ignored: a lab reached by \`url\` runs with its own settings`);
  // The runner reaches the lab at the URL it was given, whatever the lab calls itself inside its network.
  const reached: LabInfo = { ...info, url: base };
  ctx.logger.info(`target ${ctx.targetName}: using the distributed lab "${info.name}" at ${base}; it keeps running after the run`);
  return { session: new LabSession(ctx.targetName, settings, ctx.purpose, reached), attributes: attributesOf(reached) };
}

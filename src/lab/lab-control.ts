/**
 * A lab kept running by `chaos lab up`, detached from the CLI: started in its own process group under
 * `<state dir>/lab/<name>/` (see lab/contract/up-lab-dir.ts), found again by its lab.json, and stopped by `chaos lab
 * down` by process identity (pid + start time), so a reused pid is never signalled.
 */
import { spawn } from 'node:child_process';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChaosError, ExitCode } from '../errors.js';
import { isProcessAlive } from '../os/process-identity.js';
import type { Logger } from '../logger.js';
import { stopProcess, waitForExit } from '../os/stop-process.js';
import { labInfoPath, readLabInfo, type LabInfo } from './contract/lab-info.js';
import { labScript } from './contract/lab-scripts.js';
import type { LabSettings } from './contract/lab-settings.js';

const START_TIMEOUT_MS = 20_000;
/** The lab stops its instances on SIGTERM within ~3 s; past this, the whole group gets SIGKILL. */
const STOP_GRACE_MS = 8_000;

export type LabState = { running: true; info: LabInfo } | { running: false; info: LabInfo | null };

/** Whether the lab in `dir` runs: its lab.json exists and the process it names is that very process. */
export async function labStateIn(dir: string): Promise<LabState> {
  const info = await readLabInfo(labInfoPath(dir));
  if (info !== null && isProcessAlive({ pid: info.pid, startTime: info.startTime })) return { running: true, info };
  return { running: false, info };
}

/**
 * Starts the lab process detached (its own process group, output to `<dir>/lab.log`, not waited for by the CLI)
 * and resolves once it serves, i.e. once it has written its lab.json.
 */
export async function startDetachedLab(dir: string, settings: LabSettings, env: Record<string, string | undefined>): Promise<LabInfo> {
  await mkdir(dir, { recursive: true });
  // A lab.json left by a lab that died must not be taken for the new one's.
  await rm(labInfoPath(dir), { force: true });
  const logFile = join(dir, 'lab.log');
  const log = await open(logFile, 'a');
  const script = labScript('lab-main');
  let exited = false;
  let pid: number;
  try {
    const child = spawn(process.execPath, [...script.execArgv, script.file], {
      env: { ...env, LAB_DIR: dir, LAB_SETTINGS: JSON.stringify(settings) },
      stdio: ['ignore', log.fd, log.fd],
      detached: true,
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    child.once('exit', () => (exited = true));
    child.unref();
    pid = child.pid as number;
  } finally {
    await log.close();
  }
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const info = await readLabInfo(labInfoPath(dir));
    if (info !== null && info.pid === pid) return info;
    if (exited || Date.now() > deadline) {
      if (!exited) await stopProcess({ pid, startTime: null }, { graceMs: 2_000, group: true }, silent);
      throw new ChaosError(`the lab did not start${exited ? '' : ` within ${START_TIMEOUT_MS / 1000} s`}${await logTail(logFile)}`, {
        code: 'E_LAB_START',
        exitCode: ExitCode.Infrastructure,
        hint: `see ${logFile}`,
      });
    }
    await sleep(50);
  }
}

/**
 * Stops a lab and its instances: SIGTERM to its process group (the lab stops its instances), SIGKILL to the
 * group after the grace period; then waits for every instance it reported, and forgets its lab.json.
 * Idempotent: a lab that is gone only has its lab.json removed.
 */
export async function stopLab(dir: string, info: LabInfo, instancePids: readonly { pid: number; startTime: string | null }[], logger: Logger): Promise<void> {
  await stopProcess({ pid: info.pid, startTime: info.startTime }, { graceMs: STOP_GRACE_MS, group: true }, logger);
  for (const instance of instancePids) {
    // Instances exit on their own when their lab is gone (they watch their parent); SIGKILL any that has not.
    if (!(await waitForExit(instance, 2_000)) && isProcessAlive(instance)) process.kill(instance.pid, 'SIGKILL');
  }
  await rm(labInfoPath(dir), { force: true });
}

async function logTail(path: string): Promise<string> {
  try {
    const lines = (await readFile(path, 'utf8')).trim().split('\n').slice(-3).join(' | ');
    return lines === '' ? '' : `; last output: ${lines.slice(-400)}`;
  } catch {
    return '';
  }
}

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined };

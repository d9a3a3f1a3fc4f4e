/**
 * A local PostgreSQL cluster driven through its own programs: initdb, pg_ctl, pg_basebackup. Used by
 * `postgres.kill` (stop/start), `chaos lab postgres up|down` and the tests. Every server program runs as the
 * server user (see os-user.ts); the cluster listens on 127.0.0.1 and keeps its Unix socket inside its own folder.
 */
import { appendFile, chmod, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { processState } from '../process-identity.js';
import { findPgProgram } from './binaries.js';
import { giveTo, type OsUser } from './os-user.js';
import { runProgram } from './run-program.js';
import { errnoCode } from '../../errors.js';

export interface ClusterPrograms {
  binDir?: string | undefined;
  /** An explicit pg_ctl (the target's `pgCtl`). */
  pgCtl?: string | undefined;
  user: OsUser | null;
}

export interface ListenSettings {
  port: number;
  /** Where the Unix socket goes: never /var/run/postgresql, which belongs to the system's clusters. */
  socketDir: string;
}

/** The server's log, kept inside the data directory so the server user can always write it. */
export function serverLogOf(dataDir: string): string {
  return join(dataDir, 'chaosdrill-server.log');
}

function pgCtlOf(programs: ClusterPrograms): string {
  return programs.pgCtl ?? findPgProgram('pg_ctl', programs.binDir);
}

async function ownedDir(path: string, user: OsUser | null, mode: number): Promise<void> {
  await mkdir(path, { recursive: true });
  await chmod(path, mode);
  await giveTo(user, path);
}

async function appendSettings(dataDir: string, listen: ListenSettings, extra: Record<string, string>): Promise<void> {
  const settings: Record<string, string> = {
    port: String(listen.port),
    listen_addresses: "'127.0.0.1'",
    unix_socket_directories: `'${listen.socketDir.replaceAll("'", "''")}'`,
    ...extra,
  };
  // Appended last, so these win over anything earlier in the file (pg_basebackup copies the primary's file).
  const lines = Object.entries(settings).map(([k, v]) => `${k} = ${v}`);
  await appendFile(join(dataDir, 'postgresql.conf'), `\n# chaosdrill\n${lines.join('\n')}\n`);
}

/** initdb a new cluster (trust authentication on loopback: a lab, never a production server). */
export async function initCluster(
  dataDir: string,
  listen: ListenSettings,
  programs: ClusterPrograms,
  extra: Record<string, string> = {},
): Promise<void> {
  await ownedDir(dataDir, programs.user, 0o700);
  await ownedDir(listen.socketDir, programs.user, 0o755);
  await runProgram(
    findPgProgram('initdb', programs.binDir),
    ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '--encoding=UTF8', '--locale=C'],
    { user: programs.user },
  );
  await appendSettings(dataDir, listen, extra);
}

/**
 * Clones a streaming standby of `primaryUrl` (a URL without password) into `dataDir` with `pg_basebackup -R`, so
 * it starts as an asynchronous standby of the primary.
 */
export async function cloneStandby(
  primaryUrl: string,
  dataDir: string,
  listen: ListenSettings,
  programs: ClusterPrograms,
  env: Record<string, string> = {},
): Promise<void> {
  await ownedDir(dataDir, programs.user, 0o700);
  await ownedDir(listen.socketDir, programs.user, 0o755);
  await runProgram(
    findPgProgram('pg_basebackup', programs.binDir),
    ['-D', dataDir, '-d', primaryUrl, '-R', '-X', 'stream', '--no-sync', '-c', 'fast'],
    { user: programs.user, env },
  );
  await appendSettings(dataDir, listen, {});
}

/** Starts the cluster and waits until it accepts connections (`pg_ctl start -w`). */
export async function startCluster(dataDir: string, programs: ClusterPrograms, timeoutMs = 60_000): Promise<void> {
  // A crashed postmaster may linger as a zombie until init reaps it; postgres would take its PID for a running
  // server and refuse to start.
  const previous = await postmasterPid(dataDir);
  for (let i = 0; previous !== null && i < 200 && exists(previous); i++) await sleep(25);
  await runProgram(
    pgCtlOf(programs),
    ['start', '-D', dataDir, '-l', serverLogOf(dataDir), '-w', '-t', String(Math.ceil(timeoutMs / 1000))],
    { user: programs.user, timeoutMs: timeoutMs + 5_000 },
  );
}

/**
 * Stops the cluster: `immediate` is a crash (no checkpoint, clients cut off); `fast` a clean shutdown. Returns false
 * when it was not running. Waits until the postmaster is gone.
 */
export async function stopCluster(dataDir: string, mode: 'fast' | 'immediate', programs: ClusterPrograms): Promise<boolean> {
  const pid = await postmasterPid(dataDir);
  if (pid === null || !alive(pid)) return false;
  // -W, and our own wait: pg_ctl's wait counts a zombie postmaster (not yet reaped by init) as running.
  await runProgram(pgCtlOf(programs), ['stop', '-D', dataDir, '-m', mode, '-W'], { user: programs.user, timeoutMs: 10_000 });
  const deadline = Date.now() + 60_000;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new Error(`postmaster ${pid} of ${dataDir} did not stop within 60 s`);
    await sleep(10);
  }
  return true;
}

/** The postmaster's PID from `postmaster.pid`, or null when there is no such file. */
export async function postmasterPid(dataDir: string): Promise<number | null> {
  try {
    const first = (await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0] ?? '';
    const pid = Number(first.trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Whether the cluster's postmaster runs now. */
export async function clusterRunning(dataDir: string): Promise<boolean> {
  const pid = await postmasterPid(dataDir);
  return pid !== null && alive(pid);
}

/** Whether the process runs: a zombie (exited, not yet reaped) does not. */
export function alive(pid: number): boolean {
  return exists(pid) && processState(pid) !== 'Z';
}

function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoCode(err) === 'EPERM';
  }
}

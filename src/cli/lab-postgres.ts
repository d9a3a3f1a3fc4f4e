/**
 * `chaos lab postgres up|down|status`: a local PostgreSQL primary with an asynchronous streaming standby, for the
 * drills in experiments/postgres/. `up` initdb's the primary (with `shop.orders`), clones the standby with
 * `pg_basebackup -R`, starts both and writes their URLs and PIDs to `<state dir>/lab-postgres.json`; `down` stops
 * both by the PIDs in their postmaster.pid and removes the folder. A drill kills the primary and promotes the
 * standby: `down` then `up` gives a fresh pair. `up --replication-proxy URL` streams replication through a proxy
 * it creates on that Toxiproxy API (`chaos proxy serve`, or a real Toxiproxy), so faults can make the replica lag;
 * `down` removes the proxy.
 */
import { createServer } from 'node:net';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ChaosError, errnoCode, ExitCode, messageOf } from '../errors.js';
import { serverRole, startLabPair, stopLabPair, type LabPair } from '../lab/postgres/lab-pair.js';
import { createReplicationProxy, REPLICATION_PROXY, removeReplicationProxy, type ReplicationProxy } from '../lab/postgres/replication-proxy.js';
import { alive, clusterRunning, postmasterPid } from '../os/postgres/local-cluster.js';
import { serverUser } from '../os/postgres/os-user.js';
import { withExamples } from './examples.js';
import { Output, type CliIo } from './io.js';
import { stateDirOf, type GlobalFlags } from './options.js';
import { reportError } from './report-error.js';

interface LabPostgresFlags extends GlobalFlags {
  dir?: string;
  'port-base': number;
  orders: number;
  'os-user'?: string;
  'replication-proxy'?: string;
}

interface LabPostgresState extends LabPair {
  startedAt: string;
  osUser: string | null;
  /** The proxy replication streams through, when `up --replication-proxy` made one (absent in older state files). */
  replicationProxy?: ReplicationProxy | null;
}

/** The ports `up` uses by default; experiments/postgres/*.yaml default to these URLs. */
export const DEFAULT_PORT_BASE = 55432;

const stateFileOf = (stateDir: string) => join(stateDir, 'lab-postgres.json');

async function readState(stateDir: string): Promise<LabPostgresState | null> {
  try {
    return JSON.parse(await readFile(stateFileOf(stateDir), 'utf8')) as LabPostgresState;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return null;
    throw error;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

export function labPostgresCommand(io: CliIo, setExit: (code: ExitCode) => void) {
  const run = (action: (out: Output, flags: LabPostgresFlags, stateDir: string) => Promise<ExitCode>) => async (argv: unknown) => {
    const flags = argv as LabPostgresFlags;
    const out = new Output(io, flags);
    try {
      setExit(await action(out, flags, stateDirOf(io, flags)));
    } catch (error) {
      setExit(reportError(out, error));
    }
  };
  return {
    command: 'postgres <command>',
    describe: 'a local PostgreSQL primary with a streaming standby, for experiments/postgres/',
    builder: (y: Argv) =>
      withExamples(y, [
        ['chaos lab postgres up; chaos run experiments/postgres/replica-failover.yaml', 'a primary and a standby, then a drill on them'],
      ])
        .command({
          command: 'up',
          describe: 'initdb a primary (with shop.orders), clone a streaming standby, start both',
          builder: (s: Argv) =>
            withExamples(s, [
              ['chaos lab postgres up', 'on ports 55432 and 55433 under .chaos/lab-postgres'],
              ['chaos lab postgres up --port-base 0 --orders 10000', 'on ports the OS picks, with 10,000 orders'],
              ['chaos proxy serve & chaos lab postgres up --replication-proxy http://127.0.0.1:8474', 'replication through a proxy, so faults can delay or cut it'],
            ])
              .option('dir', { type: 'string', describe: 'where the clusters live (default <state dir>/lab-postgres)' })
              .option('port-base', { type: 'number', default: DEFAULT_PORT_BASE, describe: 'the primary\'s port; the standby takes the next; 0: OS-chosen' })
              .option('orders', { type: 'number', default: 1000, describe: 'rows in shop.orders' })
              .option('os-user', { type: 'string', describe: 'OS user of the servers when running as root (default postgres)' })
              .option('replication-proxy', {
                type: 'string',
                describe: `stream replication through a proxy "${REPLICATION_PROXY}" created on this Toxiproxy API (e.g. \`chaos proxy serve\`'s URL), so faults can delay or cut it`,
              }),
          handler: run((out, flags, stateDir) => up(io, out, flags, stateDir)),
        })
        .command({
          command: 'down',
          describe: 'stop both servers and remove their folder',
          builder: (s: Argv) => withExamples(s, [['chaos lab postgres down', 'stop the servers `chaos lab postgres up` started']]),
          handler: run((out, _f, stateDir) => down(out, stateDir)),
        })
        .command({
          command: 'status',
          describe: 'show the servers, their roles and URLs',
          builder: (s: Argv) => withExamples(s, [['chaos lab postgres status --json', 'roles, ports and URLs, as JSON']]),
          handler: run((out, _f, stateDir) => status(out, stateDir)),
        })
        .demandCommand(1, 'name a subcommand: `chaos lab postgres up`, `down` or `status`'),
    handler: () => undefined,
  };
}

async function up(io: CliIo, out: Output, flags: LabPostgresFlags, stateDir: string): Promise<ExitCode> {
  const existing = await readState(stateDir);
  if (existing !== null) {
    const running = (await clusterRunning(existing.primary.dataDir)) && (existing.standby === null || (await clusterRunning(existing.standby.dataDir)));
    if (!running) {
      throw new ChaosError(`the PostgreSQL lab in ${existing.dir} is not fully running (a drill may have killed its primary)`, {
        code: 'E_PG_LAB_STALE',
        exitCode: ExitCode.Infrastructure,
        hint: 'reset it: `chaos lab postgres down`, then `chaos lab postgres up`',
      });
    }
    out.data({ running: true, alreadyRunning: true, ...existing });
    out.result('the PostgreSQL lab is already running; `chaos lab postgres down` then `up` resets it');
    printUrls(out, existing);
    return ExitCode.Ok;
  }
  const portBase = flags['port-base'];
  if (portBase !== 0) {
    for (const port of [portBase, portBase + 1]) {
      if (!(await portFree(port))) {
        throw new ChaosError(`port ${port} on 127.0.0.1 is in use`, {
          code: 'E_PG_LAB_PORT',
          exitCode: ExitCode.Infrastructure,
          hint: 'choose other ports with --port-base (and pass the URLs with --var primary=… --var replica=…), or --port-base 0',
        });
      }
    }
  }
  const dir = resolve(io.cwd, flags.dir ?? join(stateDir, 'lab-postgres'));
  const programs = { user: serverUser(flags['os-user']) };
  const api = flags['replication-proxy'];
  if (api !== undefined && !/^https?:\/\/[^/]+/.test(api)) {
    throw new ChaosError(`--replication-proxy "${api}" is not a URL`, { code: 'E_PG_LAB_PROXY', exitCode: ExitCode.InvalidInput, hint: 'e.g. --replication-proxy http://127.0.0.1:8474' });
  }
  let replicationProxy: ReplicationProxy | null = null;
  let pair: LabPair;
  try {
    pair = await startLabPair(dir, {
      portBase,
      standby: true,
      orders: flags.orders,
      programs,
      ...(api === undefined ? {} : { replicationVia: async (port: number) => (replicationProxy = await createReplicationProxy(api, port)) }),
    });
  } catch (error) {
    // The servers are stopped by startLabPair; the proxy it may have made goes too.
    if (replicationProxy) await removeReplicationProxy(replicationProxy).catch(() => undefined);
    throw error;
  }
  const state: LabPostgresState = { ...pair, startedAt: new Date().toISOString(), osUser: programs.user?.name ?? null, replicationProxy };
  await writeFile(stateFileOf(stateDir), `${JSON.stringify(state, null, 2)}\n`);
  out.data({ running: true, alreadyRunning: false, ...state });
  out.result(`PostgreSQL lab running in ${dir}`);
  printUrls(out, state);
  if (portBase !== DEFAULT_PORT_BASE || flags.dir !== undefined || flags['state-dir'] !== '.chaos' || replicationProxy) {
    const proxyVar = state.replicationProxy ? ` --var proxyApi=${state.replicationProxy.api}` : '';
    out.info(`run the drills with --var primary=${state.primary.url} --var replica=${state.standby!.url} --var primaryDataDir=${state.primary.dataDir}${proxyVar}`);
  }
  out.info('stop it with `chaos lab postgres down`; after a drill, `down` then `up` resets it');
  return ExitCode.Ok;
}

async function down(out: Output, stateDir: string): Promise<ExitCode> {
  const state = await readState(stateDir);
  if (state === null) {
    out.data({ running: false, stopped: [] });
    out.result('no PostgreSQL lab is running');
    return ExitCode.Ok;
  }
  const programs = { user: serverUser(state.osUser ?? undefined) };
  const pids = await stopLabPair(state, programs);
  const left = pids.filter(alive);
  if (left.length > 0) {
    throw new ChaosError(`postgres processes ${left.join(', ')} are still running`, {
      code: 'E_PG_LAB_STOP',
      exitCode: ExitCode.Infrastructure,
      hint: `stop them by PID, then run \`chaos lab postgres down\` again`,
    });
  }
  if (state.replicationProxy) {
    const proxy = state.replicationProxy;
    await removeReplicationProxy(proxy).catch((error: unknown) =>
      out.info(`could not remove the replication proxy "${proxy.name}" from ${proxy.api} (${messageOf(error)}): remove it there`),
    );
  }
  await rm(state.dir, { recursive: true, force: true });
  await rm(stateFileOf(stateDir), { force: true });
  out.data({ running: false, stopped: pids });
  out.result(`stopped the PostgreSQL lab (postmaster${pids.length === 1 ? '' : 's'} ${pids.join(', ') || 'none running'}) and removed ${state.dir}`);
  return ExitCode.Ok;
}

async function status(out: Output, stateDir: string): Promise<ExitCode> {
  const state = await readState(stateDir);
  if (state === null) {
    out.data({ running: false });
    out.result('no PostgreSQL lab is running; start one with `chaos lab postgres up`');
    return ExitCode.Ok;
  }
  const nodes = [];
  for (const node of [state.primary, state.standby]) {
    if (node === null) continue;
    const pid = await postmasterPid(node.dataDir);
    const running = pid !== null && alive(pid);
    nodes.push({ name: node.role, url: node.url, pid, running, role: running ? await serverRole(node.url) : 'down' });
  }
  out.data({ running: nodes.some((n) => n.running), dir: state.dir, nodes, replicationProxy: state.replicationProxy ?? null });
  out.result(`PostgreSQL lab in ${state.dir} (since ${state.startedAt})`);
  for (const n of nodes) out.result(`  ${n.name.padEnd(8)} ${n.url}  ${n.running ? `pid ${n.pid}, ${n.role}` : 'down'}`);
  if (state.replicationProxy) out.result(`  replication through proxy "${state.replicationProxy.name}" on ${state.replicationProxy.api}`);
  return ExitCode.Ok;
}

function printUrls(out: Output, state: LabPostgresState): void {
  out.result(`  primary  ${state.primary.url}  (pid ${state.primary.pid}, data ${state.primary.dataDir})`);
  const proxy = state.replicationProxy;
  const from = proxy ? `through proxy "${proxy.name}" (127.0.0.1:${proxy.port}) on ${proxy.api}` : 'from the primary';
  if (state.standby) out.result(`  replica  ${state.standby.url}  (pid ${state.standby.pid}, streaming ${from})`);
}

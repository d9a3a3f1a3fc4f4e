/**
 * `chaos lab up|down|status`: keep the built-in lab running between runs. A run whose `lab` target has the same
 * `name` uses it (and leaves it running) instead of starting its own; `down` stops exactly the process group `up`
 * started, found by pid and start time in `<state dir>/lab/<name>/lab.json`.
 */
import type { Argv } from 'yargs';
import { ChaosError, ExitCode } from '../errors.js';
import { labAdmin } from '../lab/contract/admin-client.js';
import { upLabDir } from '../lab/contract/up-lab-dir.js';
import { labStateIn, startDetachedLab, stopLab } from '../lab/lab-control.js';
import type { LabInfo } from '../lab/contract/lab-info.js';
import { labSettingsSchema, REGIONS } from '../lab/contract/lab-settings.js';
import type { LabStatus } from '../lab/contract/lab-status.js';
import { withExamples } from './examples.js';
import { Output, type CliIo } from './io.js';
import { labPostgresCommand } from './lab-postgres.js';
import { stateDirOf, type GlobalFlags } from './options.js';
import { reportError } from './report-error.js';
import type { CommandBody } from './command.js';

interface LabFlags extends GlobalFlags {
  name: string;
  instances?: number;
  'replication-lag'?: string;
  'health-interval'?: string;
  'failover-after'?: number;
  'promotion-time'?: string;
  'restart-delay'?: string;
}

export function labCommand(io: CliIo, setExit: (code: ExitCode) => void): CommandBody {
  const run = (action: (out: Output, flags: LabFlags) => Promise<ExitCode>) => async (argv: unknown) => {
    const flags = argv as LabFlags;
    const out = new Output(io, flags);
    try {
      setExit(await action(out, flags));
    } catch (error) {
      setExit(reportError(out, error));
    }
  };
  const dirOf = (flags: LabFlags) => upLabDir(stateDirOf(io, flags), flags.name);
  return {
    builder: (y: Argv) =>
      withExamples(y, [
        ['chaos lab up; chaos run experiments/region-failover.yaml', 'start the lab once; runs with a lab target use it instead of starting their own'],
      ])
        .option('name', { type: 'string', default: 'default', describe: 'the lab’s name (a lab target’s `name`)', global: true })
        .command({
          command: 'up',
          describe: 'start the lab detached from this command; it runs until `chaos lab down`',
          builder: (s: Argv) =>
            withExamples(s, [
              ['chaos lab up', 'two regions, two instances each, until `chaos lab down`'],
              ['chaos lab up --name slow --instances 3 --replication-lag 2s', 'a second lab with its own settings (a lab target with name: slow uses it)'],
            ])
              .option('instances', { type: 'number', describe: 'instances per region (default 2)' })
              .option('replication-lag', { type: 'string', describe: 'e.g. 500ms' })
              .option('health-interval', { type: 'string', describe: 'e.g. 200ms' })
              .option('failover-after', { type: 'number', describe: 'failed checks before promotion (default 3)' })
              .option('promotion-time', { type: 'string', describe: 'e.g. 300ms' })
              .option('restart-delay', { type: 'string', describe: 'e.g. 1s' }),
          handler: run((out, flags) => up(io, out, flags, dirOf(flags))),
        })
        .command({
          command: 'down',
          describe: 'stop the lab `chaos lab up` started, and every instance of it',
          builder: (s: Argv) => withExamples(s, [['chaos lab down', 'stop the default lab'], ['chaos lab down --name slow', 'stop the lab named slow']]),
          handler: run((out, flags) => down(out, flags, dirOf(flags))),
        })
        .command({
          command: 'status',
          describe: 'show the lab’s URLs, instances and health',
          builder: (s: Argv) => withExamples(s, [['chaos lab status', 'URLs, instances, health, replication lag'], ['chaos lab status --json', 'the same, as JSON']]),
          handler: run((out, flags) => status(out, flags, dirOf(flags))),
        })
        .command(labPostgresCommand(io, setExit))
        .demandCommand(1, 'name a subcommand: `chaos lab up`, `chaos lab down` or `chaos lab status`'),
    handler: () => undefined,
  };
}

async function up(io: CliIo, out: Output, flags: LabFlags, dir: string): Promise<ExitCode> {
  const parsed = labSettingsSchema.safeParse(
    dropUndefined({
      name: flags.name,
      instances: flags.instances,
      replicationLag: flags['replication-lag'],
      healthInterval: flags['health-interval'],
      failoverAfter: flags['failover-after'],
      promotionTime: flags['promotion-time'],
      restartDelay: flags['restart-delay'],
    }),
  );
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; ');
    throw new ChaosError(`invalid lab settings: ${problems}`, { code: 'E_LAB_SETTINGS', exitCode: ExitCode.InvalidInput, hint: 'durations have units (500ms, 1s)' });
  }
  const current = await labStateIn(dir);
  if (current.running) {
    out.data({ running: true, alreadyRunning: true, ...current.info });
    out.result(`lab "${flags.name}" already runs at ${current.info.url} (pid ${current.info.pid}); stop it with \`chaos lab down\` to change its settings`);
    return ExitCode.Ok;
  }
  const info = await startDetachedLab(dir, parsed.data, io.env);
  out.data({ running: true, alreadyRunning: false, ...info });
  out.result(`lab "${info.name}" serving at ${info.url} (pid ${info.pid})`);
  printUrls(out, info);
  out.info(`runs with a lab target named "${info.name}" use it and leave it running; stop it with \`chaos lab down${flags.name === 'default' ? '' : ` --name ${flags.name}`}\``);
  return ExitCode.Ok;
}

async function down(out: Output, flags: LabFlags, dir: string): Promise<ExitCode> {
  const state = await labStateIn(dir);
  if (!state.running) {
    out.data({ running: false, stopped: false });
    out.result(`no lab "${flags.name}" is running${state.info ? ` (pid ${state.info.pid} is gone)` : ''}`);
    return ExitCode.Ok;
  }
  // Its instances' identities first, so they can be checked after the group is gone.
  const instances = await labAdmin<LabStatus>(state.info.url, 'GET', '/admin/status', undefined, AbortSignal.timeout(2_000))
    .then((s) => Object.values(s.regions).flatMap((r) => r.instances.map((i) => ({ pid: i.pid, startTime: i.startTime }))))
    .catch(() => []);
  await stopLab(dir, state.info, instances, { debug: (m) => out.debug(m), info: (m) => out.info(m), warn: (m) => out.error(`warning: ${m}`) });
  out.data({ running: false, stopped: true, pid: state.info.pid, instances: instances.map((i) => i.pid) });
  out.result(`stopped lab "${flags.name}" (pid ${state.info.pid}) and its ${instances.length} instances`);
  return ExitCode.Ok;
}

async function status(out: Output, flags: LabFlags, dir: string): Promise<ExitCode> {
  const state = await labStateIn(dir);
  if (!state.running) {
    out.data({ running: false });
    out.result(`no lab "${flags.name}" is running; start one with \`chaos lab up\``);
    return ExitCode.Ok;
  }
  const info = state.info;
  const live = await labAdmin<LabStatus>(info.url, 'GET', '/admin/status', undefined, AbortSignal.timeout(5_000));
  out.data({ running: true, ...info, status: live });
  out.result(`lab "${info.name}" running (pid ${info.pid}, since ${info.startedAt}); primary region: ${live.primary}${live.promoting ? ' (promoting)' : ''}`);
  printUrls(out, info);
  for (const region of REGIONS) {
    const r = live.regions[region];
    out.result(`  region ${region}: ${r.healthy ? out.green('healthy') : out.red('unhealthy')}${r.reachable ? '' : ', unreachable'}, ${live.orders[region] ?? 0} orders`);
    for (const i of r.instances) {
      out.result(`    ${i.name}  ${i.running ? out.green('running') : out.red('down')}  pid ${i.pid}  port ${i.port}  version ${i.release.version}`);
    }
  }
  const rep = live.replication;
  out.result(`  replication ${rep.source} → ${rep.target}: link ${rep.linkUp ? 'up' : out.red('down')}, lag ${rep.lagMs} ms`);
  return ExitCode.Ok;
}

function printUrls(out: Output, info: LabInfo): void {
  out.result(`  url       ${info.url}`);
  out.result(`  proxy API ${info.proxyApi}`);
  for (const [region, urls] of Object.entries(info.regions)) out.result(`  region ${region}  ${urls.join(' ')}`);
  out.result(`  events    ${info.events}`);
}

function dropUndefined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/**
 * `chaos schedule <plan>`: run the plan's game days on its cron schedule, or with `--emit cronjob` write the
 * Kubernetes manifests that do the same in a cluster, and with `--emit reconciler` the Deployment that reverts what
 * a dead runner pod left.
 */
import type { Argv } from 'yargs';
import type { GlobalFlags } from './options.js';
import { ChaosError, ExitCode } from '../errors.js';
import { createRegistry } from '../plugins/registry.js';
import { runScheduler } from '../schedule/scheduler.js';
import { conductPlanned, withGamedayOptions, type GamedayFlags } from './gameday.js';
import { withExamples } from './examples.js';
import { Output, type CliIo } from './io.js';
import { reportError } from './report-error.js';
import { EMIT_DEFAULTS, emitManifests } from './schedule-emit.js';
import { loadPlanForCommand } from './shared.js';
import { commandBody, type CommandBody } from './command.js';

interface ScheduleFlags extends GamedayFlags {
  once: boolean;
  'max-runs'?: number;
  emit?: 'cronjob' | 'reconciler';
  image?: string;
  namespace?: string;
  output?: string;
}

/** Flags that shape the emitted manifests, and mean nothing to the scheduler itself. */
const EMIT_ONLY = ['image', 'namespace', 'output'] as const;

/**
 * Refuses flags given where they do nothing: the manifests' flags without `--emit` (they would be silently
 * ignored while a scheduler starts), and the scheduler's run limits with `--emit` (nothing is run). A yargs check,
 * so the refusal comes before anything is read, started or written.
 */
export function checkScheduleFlags(argv: Partial<ScheduleFlags>): true {
  const given = EMIT_ONLY.filter((flag) => argv[flag] !== undefined).map((flag) => (flag === 'output' ? '-o/--output' : `--${flag}`));
  if (argv.emit === undefined && given.length > 0) {
    throw new ChaosError(`${given.join(', ')} ${given.length === 1 ? 'applies' : 'apply'} only to the manifests --emit cronjob writes (or --emit reconciler); without it nothing would use ${given.length === 1 ? 'it' : 'them'}`, {
      code: 'E_FLAG_NEEDS_EMIT',
      exitCode: ExitCode.InvalidInput,
      hint: `add --emit cronjob (chaos schedule <plan> --emit cronjob ${given[0]} …), or drop ${given.join(', ')} to run the schedule here`,
    });
  }
  const runLimits = (['once', 'max-runs'] as const).filter((flag) => argv[flag] !== undefined && argv[flag] !== false).map((flag) => `--${flag}`);
  if (argv.emit !== undefined && runLimits.length > 0) {
    throw new ChaosError(`${runLimits.join(' and ')} limit the game days run here; --emit ${argv.emit} runs none`, {
      code: 'E_FLAG_CONFLICT',
      exitCode: ExitCode.InvalidInput,
      hint: 'drop one: --emit writes manifests for the cluster to run; --once and --max-runs run game days here',
    });
  }
  return true;
}

export function scheduleCommand(io: CliIo, setExit: (code: ExitCode) => void): CommandBody {
  return commandBody(
    (y: Argv<GlobalFlags>) =>
      withExamples(withGamedayOptions(y), [
        ['chaos schedule scenarios/weekly-gameday.yaml', 'run the game day at every tick of its cron schedule, here, until stopped'],
        ['chaos schedule scenarios/weekly-gameday.yaml --once', 'wait for the next tick, run one game day, exit with its code'],
        ['chaos schedule scenarios/weekly-gameday.yaml --emit cronjob --namespace chaos -o k8s', 'write the plan\'s ConfigMap, its ServiceAccount and RBAC, and a CronJob that do it in a cluster'],
        ['chaos schedule scenarios/weekly-gameday.yaml --emit reconciler --namespace chaos -o k8s', 'write the Deployment of chaos recover --watch, which reverts what a dead runner pod left'],
      ])
        .option('once', { type: 'boolean', default: false, describe: 'run one game day at the next tick, then exit with its code' })
        .option('max-runs', { type: 'number', describe: 'exit after this many game days (skipped ticks do not count)' })
        .option('emit', {
          choices: ['cronjob', 'reconciler'] as const,
          describe: 'write Kubernetes manifests instead of scheduling: cronjob (the plan, its RBAC, the CronJob) or reconciler (the Deployment of chaos recover --watch)',
        })
        .option('image', { type: 'string', defaultDescription: EMIT_DEFAULTS.image, describe: 'with --emit: the runner image (built from runner.Dockerfile)' })
        .option('namespace', { type: 'string', defaultDescription: EMIT_DEFAULTS.namespace, describe: 'with --emit: the namespace of the manifests' })
        .option('output', { alias: 'o', type: 'string', describe: 'with --emit: write manifests into this folder instead of stdout' })
        .check(checkScheduleFlags),
    async (flags: ScheduleFlags) => {
      const out = new Output(io, flags);
      try {
        const maxRuns = flags.once ? 1 : flags['max-runs'];
        if (maxRuns !== undefined && (!Number.isInteger(maxRuns) || maxRuns < 1)) {
          throw new ChaosError(`--max-runs ${maxRuns} is not a positive whole number`, { code: 'E_BAD_FLAG', exitCode: ExitCode.InvalidInput, hint: 'write --max-runs 3' });
        }
        const registry = createRegistry();
        const loaded = await loadPlanForCommand(io, out, registry, flags.plan);
        if (flags.emit !== undefined) {
          setExit(await emitManifests(io, out, loaded, registry, { ...flags, emit: flags.emit }));
          return;
        }
        const schedule = loaded.plan.schedule;
        if (schedule === undefined) {
          throw new ChaosError(`the plan ${flags.plan} has no schedule`, {
            code: 'E_NO_SCHEDULE', exitCode: ExitCode.InvalidInput, hint: "add `schedule: { cron: '0 9 * * 1', timezone: Europe/Berlin }`, or run it once with chaos gameday",
          });
        }
        const code = await runScheduler({
          cron: schedule.cron,
          timezone: schedule.timezone,
          blackouts: loaded.plan.blackouts,
          signal: io.signal,
          ...(maxRuns === undefined ? {} : { maxRuns }),
          log: (line) => out.result(`schedule: ${line}`),
          runGameday: async () => (await conductPlanned(io, out, flags, loaded, undefined, io.signal)).result.exitCode,
        });
        setExit(code);
      } catch (error) {
        setExit(reportError(out, error));
      }
    },
  );
}

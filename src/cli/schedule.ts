/**
 * `chaos schedule <plan>`: run the plan's game days on its cron schedule, or with `--emit cronjob` write the
 * Kubernetes manifests that do the same in a cluster.
 */
import type { Argv } from 'yargs';
import { ChaosError, ExitCode } from '../errors.js';
import { createRegistry } from '../plugins/registry.js';
import { runScheduler } from '../schedule/scheduler.js';
import { conductPlanned, withGamedayOptions, type GamedayFlags } from './gameday.js';
import { Output, type CliIo } from './io.js';
import { reportError } from './report-error.js';
import { emitCronJob } from './schedule-emit.js';
import { loadPlanForCommand } from './shared.js';
import type { CommandBody } from './command.js';

interface ScheduleFlags extends GamedayFlags {
  once: boolean;
  'max-runs'?: number;
  emit?: 'cronjob';
  image: string;
  namespace: string;
}

export function scheduleCommand(io: CliIo, setExit: (code: ExitCode) => void): CommandBody {
  return {
    builder: (y: Argv) =>
      withGamedayOptions(y)
        .option('once', { type: 'boolean', default: false, describe: 'run one game day at the next tick, then exit with its code' })
        .option('max-runs', { type: 'number', describe: 'exit after this many game days (skipped ticks do not count)' })
        .option('emit', { choices: ['cronjob'] as const, describe: 'write Kubernetes manifests (ConfigMap + CronJob) instead of scheduling' })
        .option('image', { type: 'string', default: 'chaosdrill-runner:latest', describe: 'with --emit: the runner image (built from runner.Dockerfile)' })
        .option('namespace', { type: 'string', default: 'default', describe: 'with --emit: the namespace of the manifests' })
        .option('output', { alias: 'o', type: 'string', describe: 'with --emit: write manifests into this folder instead of stdout' }),
    handler: async (argv: unknown) => {
      const flags = argv as ScheduleFlags;
      const out = new Output(io, flags);
      try {
        const maxRuns = flags.once ? 1 : flags['max-runs'];
        if (maxRuns !== undefined && (!Number.isInteger(maxRuns) || maxRuns < 1)) {
          throw new ChaosError(`--max-runs ${maxRuns} is not a positive whole number`, { code: 'E_BAD_FLAG', exitCode: ExitCode.InvalidInput, hint: 'write --max-runs 3' });
        }
        const loaded = await loadPlanForCommand(io, out, createRegistry(), flags.plan);
        if (flags.emit === 'cronjob') {
          setExit(await emitCronJob(io, out, loaded, flags));
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
  };
}

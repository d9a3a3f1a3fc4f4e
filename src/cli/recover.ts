/**
 * `chaos recover`: revert every fault (and release every resource) of runs whose runner is gone; `--watch` keeps
 * doing it (the reconciler); `--assume-dead RUN_ID` overrides a run's liveness, loudly.
 */
import type { Argv } from 'yargs';
import { ChaosError, ExitCode } from '../errors.js';
import { recover, type RecoverReport } from '../engine/recover.js';
import { watchAndRecover } from '../engine/recover-watch.js';
import { identifyProcess } from '../os/process-identity.js';
import { createRegistry } from '../plugins/registry.js';
import type { Holder } from '../state/backend.js';
import { parseDuration } from '../units/duration.js';
import { withExamples } from './examples.js';
import { Output, type CliIo } from './io.js';
import { stateDirOf, type GlobalFlags } from './options.js';
import { reportError } from './report-error.js';
import { stateOf } from './state-option.js';
import { commandBody, type CommandBody } from './command.js';

interface RecoverFlags extends GlobalFlags {
  watch: boolean;
  poll?: string;
  'assume-dead': string[];
}

export function recoverCommand(io: CliIo, setExit: (code: ExitCode) => void): CommandBody {
  return commandBody(
    (y: Argv<GlobalFlags>) =>
      withExamples(y, [
        ['chaos recover', 'revert what runs that died left in .chaos/ (their heartbeat expired or their process is gone); safe to repeat'],
        ['chaos recover --state-dir .chaos --json', 'the same, with what was reverted as JSON'],
        ['chaos recover --watch --state kubernetes://chaos', 'the reconciler: keep reverting runs whose Lease in namespace chaos expires'],
        ['chaos recover --assume-dead 20260105-101500-ab12', 'revert one run now, whatever its liveness says (its runner must really be gone)'],
      ])
        .option('watch', { type: 'boolean', default: false, describe: 'keep running: revert every run whose lease or heartbeat expires (the reconciler)' })
        .option('poll', { type: 'string', defaultDescription: DEFAULT_POLL, describe: 'with --watch: how often to look' })
        .option('assume-dead', { type: 'string', array: true, default: [] as string[], describe: 'treat this run as dead whatever its liveness says, and revert it (repeatable)' }),
    async (flags: RecoverFlags) => {
      const out = new Output(io, flags);
      try {
        const pollMs = checkFlags(flags);
        const state = await stateOf(io, flags);
        const self = identifyProcess(io.pid);
        const holder: Holder = { runId: `recover-${io.host}-${io.pid}`, host: io.host, pid: io.pid, pidStartTime: self.startTime };
        const common = {
          state,
          stateDir: stateDirOf(io, flags),
          registry: createRegistry(),
          env: io.env,
          signal: io.signal,
          holder,
          logger: { debug: (m: string) => out.debug(m), info: (m: string) => out.info(m), warn: (m: string) => out.error(`warning: ${m}`) },
        };
        if (flags.watch) {
          out.info(`recover --watch: reverting what dead runs left in ${state.description}, looking every ${flags.poll ?? DEFAULT_POLL} (Ctrl-C or SIGTERM to stop)`);
          // A run left for another host is skipped at every poll; say so once.
          const told = new Set<string>();
          await watchAndRecover({
            ...common,
            pollMs,
            onPoll: (report) => {
              if (report === null) return;
              for (const run of report.runsSkipped.filter((r) => r.leftForHost !== undefined)) {
                if (!told.has(run.runId)) out.result(`${new Date().toISOString()} left run ${run.runId} for its host: ${run.reason}`);
                told.add(run.runId);
              }
              printActions(out, report, { quietWhenIdle: true });
            },
          });
          out.info('recover --watch: stopped');
          setExit(ExitCode.Ok);
          return;
        }
        if (flags['assume-dead'].length > 0) {
          out.error(out.yellow(`warning: --assume-dead ${flags['assume-dead'].join(' ')}: overriding liveness; if that runner still runs, its faults are reverted under it`));
        }
        const report = await recover({ ...common, assumeDead: flags['assume-dead'] });
        out.data(report);
        for (const run of report.runsSkipped) out.result(`skipped run ${run.runId}: ${run.reason}`);
        for (const lock of report.locksRemoved) out.info(`removed ${lock}`);
        printActions(out, report, { quietWhenIdle: false });
        setExit(report.actions.some((a) => a.outcome === 'failed') ? ExitCode.RevertFailed : ExitCode.Ok);
      } catch (error) {
        setExit(reportError(out, error));
      }
    },
  );
}

const DEFAULT_POLL = '2s';

/** Refuses flags that contradict each other or mean nothing here, before any state is read. */
function checkFlags(flags: RecoverFlags): number {
  if (flags.watch && flags['assume-dead'].length > 0) {
    throw new ChaosError('--assume-dead is a one-time decision about one run; it does not go with --watch', {
      code: 'E_FLAG_CONFLICT', exitCode: ExitCode.InvalidInput, hint: 'run `chaos recover --assume-dead RUN_ID` on its own',
    });
  }
  if (!flags.watch && flags.poll !== undefined) {
    throw new ChaosError('--poll applies only to chaos recover --watch; a single recover looks once', {
      code: 'E_FLAG_CONFLICT', exitCode: ExitCode.InvalidInput, hint: 'add --watch, or drop --poll',
    });
  }
  const text = flags.poll ?? DEFAULT_POLL;
  const poll = parseDuration(text);
  if (!poll.ok || poll.ms < 100) {
    throw new ChaosError(`--poll ${text}: ${poll.ok ? 'poll at most every 100ms' : poll.message}`, {
      code: 'E_BAD_FLAG', exitCode: ExitCode.InvalidInput, hint: 'write --poll 2s',
    });
  }
  return poll.ms;
}

function printActions(out: Output, report: RecoverReport, options: { quietWhenIdle: boolean }): void {
  if (report.actions.length === 0 && !options.quietWhenIdle) out.result('nothing to recover');
  for (const a of report.actions) {
    const mark = a.outcome === 'failed' ? out.red('✗ failed') : out.green(`✓ ${a.outcome}`);
    const when = options.quietWhenIdle ? `${new Date().toISOString()} ` : '';
    out.result(`${when}${mark} ${a.kind} ${a.type} on "${a.target}" (${a.description}, run ${a.runId})${a.error ? `: ${a.error}` : ''}`);
  }
}

/**
 * `chaos gameday <plan>`: run a game-day plan's experiments in order and write one consolidated report.
 */
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ExitCode, exitCodeMeaning, messageOf } from '../errors.js';
import { conductGameday, type ConductedGameday } from '../gameday/conduct.js';
import { type loadPlan } from '../gameday/load-plan.js';
import { formatScore, VERDICT_WORD } from '../gameday/gameday-result.js';
import { durationCell, objectiveCell } from '../gameday/report-format.js';
import { createRegistry } from '../plugins/registry.js';
import { VERSION } from '../version.js';
import { consoleReporter, progressPrinter } from './console-reporter.js';
import { withExamples } from './examples.js';
import { Output, type CliIo } from './io.js';
import { stateDirOf, type GlobalFlags } from './options.js';
import { reportError } from './report-error.js';
import { loadPlanForCommand } from './shared.js';
import { stateOf } from './state-option.js';
import { commandBody, type CommandBody } from './command.js';

export interface GamedayFlags extends GlobalFlags {
  plan: string;
  output?: string;
  force: boolean;
  yes: boolean;
  ci?: boolean;
}

export function withGamedayOptions<T>(y: Argv<T>) {
  return y
    .positional('plan', { type: 'string', demandOption: true, describe: 'the game-day plan (YAML), e.g. scenarios/weekly-gameday.yaml' })
    .option('force', { type: 'boolean', default: false, describe: 'start runs even though the ledger holds unrecovered faults' })
    .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'confirm runs against targets marked production' })
    .option('ci', { type: 'boolean', describe: 'CI mode (also when $CI is set): no progress lines, no colours, one line per step' });
}

export function gamedayCommand(io: CliIo, setExit: (code: ExitCode) => void): CommandBody {
  return commandBody(
    (y: Argv<GlobalFlags>) =>
      withExamples(withGamedayOptions(y), [
        ['chaos gameday scenarios/weekly-gameday.yaml', 'its experiments in order; one report (index.html, junit.xml, summary.md)'],
        ['chaos gameday scenarios/weekly-gameday.yaml -o reports/gameday --ci', 'into a chosen folder, with CI output'],
      ]).option('output', { alias: 'o', type: 'string', describe: 'the game-day folder (default: <plan reports>/<timestamp>-<name>)' }),
    async (flags: GamedayFlags) => {
      const out = new Output(io, flags);
      try {
        const loaded = await loadPlanForCommand(io, out, createRegistry(), flags.plan);
        out.info(`${out.bold(`Game day: ${loaded.plan.title}`)} ${out.dim(`(${loaded.runs.length} experiments, stopOn: ${loaded.plan.stopOn})`)}`);
        const done = await conductPlanned(io, out, flags, loaded, flags.output ? resolve(io.cwd, flags.output) : undefined, io.signal);
        setExit(done.result.exitCode);
      } catch (error) {
        setExit(reportError(out, error));
      }
    },
  );
}

/** Runs one game day of a loaded plan with the CLI's output; shared with `chaos schedule`. */
export async function conductPlanned(
  io: CliIo,
  out: Output,
  flags: GamedayFlags,
  loaded: Awaited<ReturnType<typeof loadPlan>>,
  dir: string | undefined,
  signal: AbortSignal,
): Promise<ConductedGameday> {
  const printProgress = io.stdout.isTTY === true && !out.quiet && !out.json && !out.ci ? progressPrinter(out) : undefined;
  const done = await conductGameday(loaded, {
    registry: createRegistry(),
    stateDir: stateDirOf(io, flags),
    state: await stateOf(io, flags),
    env: io.env,
    cwd: io.cwd,
    ...(dir === undefined ? {} : { dir }),
    invocation: { argv: ['chaos', ...io.argv], cwd: io.cwd, user: io.user, host: io.host, pid: io.pid, version: VERSION },
    signal,
    force: flags.force,
    confirmProduction: flags.yes || io.env['CHAOS_CONFIRM'] === 'production',
    subscribersFor: () => [consoleReporter(out)],
    ...(printProgress ? { onProgress: printProgress } : {}),
    onSubscriberError: (subscriber, event, error) =>
      out.error(`warning: reporter "${subscriber}" failed on ${event}: ${messageOf(error)}`),
    log: (line) => out.info(out.bold(`gameday: ${line}`)),
    ...(io.env['GITHUB_STEP_SUMMARY'] ? { stepSummary: io.env['GITHUB_STEP_SUMMARY'] } : {}),
  });
  printConducted(out, done);
  return done;
}

function printConducted(out: Output, done: ConductedGameday): void {
  const { result } = done;
  if (done.reportError !== null) out.error(`warning: the game-day reports could not be written: ${done.reportError}`);
  for (const n of done.notifications) {
    if (n.ok) out.info(out.dim(`${n.label}: sent (${n.message})`));
    else out.error(out.yellow(`warning: ${n.label} failed: ${n.message} (the verdict is unchanged)`));
  }
  for (const o of result.experiments) {
    const mark = o.verdict === 'passed' ? out.green('✓') : o.verdict === 'not-run' ? out.yellow('-') : out.red('✗');
    const rto = objectiveCell(o, 'rto');
    out.result(`  ${mark} ${o.name}: ${VERDICT_WORD[o.verdict]} ${out.dim(`(${durationCell(o)}${rto === '–' ? '' : `, RTO ${rto}`})`)}${o.verdict === 'passed' ? '' : ` ${o.reason}`}`);
  }
  const word = result.blackout !== null ? out.yellow('SKIPPED') : result.exitCode === ExitCode.Ok ? out.green('PASSED') : out.red('FAILED');
  out.result(`${word} game day ${result.name}: ${result.reason}; resilience score ${formatScore(result.score.value)}`);
  const where = done.reports ? ` · report: ${done.reports.paths.html}` : '';
  out.result(out.dim(`exit ${result.exitCode} (${exitCodeMeaning[result.exitCode]})${where}`));
  out.data({ ok: result.exitCode === ExitCode.Ok, ...result, reports: done.reports?.paths ?? null, notifications: done.notifications });
}

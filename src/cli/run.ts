/**
 * `chaos run <file>`: run an experiment and exit with its verdict.
 */
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ChaosError, ExitCode, exitCodeMeaning, messageOf } from '../errors.js';
import { runExperiment } from '../engine/run.js';
import { createRegistry } from '../plugins/registry.js';
import { consoleReporter, progressPrinter } from './console-reporter.js';
import { Output, type CliIo } from './io.js';
import { withExamples } from './examples.js';
import { stateDirOf, withVars, type GlobalFlags } from './options.js';
import { reportError } from './report-error.js';
import { loadForCommand } from './shared.js';
import { stateOf } from './state-option.js';
import { VERSION } from '../version.js';
import { readJournal } from '../state/journal.js';
import type { RunMetrics } from '../metrics/run-metrics.js';
import type { MetricsServer } from '../metrics/metrics-server.js';
import { viewJournal } from '../report/journal-view.js';
import { parseReportFormats, REPORT_FORMATS, writeReports } from '../report/write-reports.js';
import { appendFile } from 'node:fs/promises';
import { commandBody, type CommandBody } from './command.js';

interface RunFlags extends GlobalFlags {
  file: string;
  var: string[];
  output?: string;
  force: boolean;
  yes: boolean;
  format?: string[];
  /** The old name of --format, kept for scripts that use it. */
  report?: string[];
  'metrics-port'?: string;
  pushgateway?: string;
  ci?: boolean;
}

/**
 * `--format`, the one name of the choice of reports (as on `chaos report` and `chaos list`); `--report`, its old name
 * here, still works with a warning, and both at once are refused rather than one silently winning.
 */
function chosenReportFormats(out: Output, flags: RunFlags): string[] {
  if (flags.report !== undefined && flags.format !== undefined) {
    throw new ChaosError('--report and --format are the same choice, given twice', {
      code: 'E_FLAG_CONFLICT',
      exitCode: ExitCode.InvalidInput,
      hint: `keep --format only: --format ${[...flags.format, ...flags.report].join(',')}`,
    });
  }
  if (flags.report !== undefined) {
    out.error(out.yellow(`warning: --report is deprecated; it is --format now, as on chaos report: --format ${flags.report.join(',')}`));
    return flags.report;
  }
  return flags.format ?? [REPORT_FORMATS.join(',')];
}

/** `reports/<timestamp>-<name>` under the working directory. */
function defaultRunDir(io: CliIo, name: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return resolve(io.cwd, 'reports', `${stamp}-${name}`);
}

export function runCommand(io: CliIo, setExit: (code: ExitCode) => void): CommandBody {
  return commandBody(
    (y: Argv<GlobalFlags>) =>
      withVars(
        withExamples(y, [
          ['chaos run experiments/process-pause.yaml', 'freeze, then kill, a service the run starts, under load; measures the RTO'],
          ['chaos run experiments/region-failover.yaml -o reports/failover --format md,junit', 'a region failover on the built-in lab; only the Markdown and JUnit reports'],
          ['chaos run experiments/process-pause.yaml --var port=18181 --ci', 'with a variable set, and one line per step as CI logs want'],
          ['chaos run experiments/latency-injection.yaml --metrics-port 9464', 'Prometheus metrics on http://127.0.0.1:9464/metrics while it runs'],
        ]),
      )
        .positional('file', { type: 'string', demandOption: true, describe: 'the experiment file (YAML)' })
        .option('output', { alias: 'o', type: 'string', describe: 'the run folder (default: reports/<timestamp>-<name>)' })
        .option('force', { type: 'boolean', default: false, describe: 'start even though the ledger holds unrecovered faults' })
        .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'confirm a run against targets marked production' })
        .option('format', {
          alias: 'f',
          type: 'string',
          array: true,
          defaultDescription: REPORT_FORMATS.join(','),
          describe: `reports written into the run folder: ${REPORT_FORMATS.join(', ')} (comma-separated) or none, as chaos report --format`,
        })
        .option('report', { type: 'string', array: true, hidden: true, deprecated: 'use --format' })
        .option('metrics-port', { type: 'string', describe: 'serve Prometheus metrics on /metrics during the run: PORT (127.0.0.1) or HOST:PORT; 0 picks a free port' })
        .option('pushgateway', { type: 'string', describe: 'push the final metrics to this Prometheus Pushgateway URL' })
        .option('ci', { type: 'boolean', describe: 'CI mode (also when $CI is set): no progress lines, no colours, one line per step' }),
    async (flags: RunFlags) => {
      const out = new Output(io, flags);
      let metricsServer: MetricsServer | undefined;
      try {
        const formats = parseReportFormats(chosenReportFormats(out, flags));
        const registry = createRegistry();
        const loaded = await loadForCommand(io, out, registry, flags.file, flags.var);
        // prom-client (and what it loads) only for a run whose metrics someone reads.
        const wantsMetrics = flags['metrics-port'] !== undefined || flags.pushgateway !== undefined;
        const metrics: RunMetrics | null = wantsMetrics ? new (await import('../metrics/run-metrics.js')).RunMetrics(loaded.experiment.name) : null;
        if (metrics && flags['metrics-port'] !== undefined) {
          metricsServer = await (await import('../metrics/metrics-server.js')).serveMetrics(metrics.registry, flags['metrics-port']);
          out.info(out.dim(`metrics: ${metricsServer.url}`));
        }
        const printProgress = io.stdout.isTTY === true && !out.quiet && !out.json && !out.ci ? progressPrinter(out) : undefined;
        const runDir = flags.output ? resolve(io.cwd, flags.output) : defaultRunDir(io, loaded.experiment.name, new Date());
        if (flags.force) out.error(out.yellow('warning: --force: ignoring unrecovered faults in the ledger'));
        const result = await runExperiment(loaded, {
          registry,
          stateDir: stateDirOf(io, flags),
          state: await stateOf(io, flags),
          env: io.env,
          runDir,
          // Two runs in one second share the default name; a folder named with -o is never swapped for another.
          uniqueRunDir: flags.output === undefined,
          signal: io.signal,
          force: flags.force,
          confirmProduction: flags.yes || io.env['CHAOS_CONFIRM'] === 'production',
          subscribers: metrics ? [consoleReporter(out), metrics.subscriber] : [consoleReporter(out)],
          onProgress: (progress) => {
            metrics?.onProgress(progress);
            printProgress?.(progress);
          },
          invocation: { argv: ['chaos', ...io.argv], cwd: io.cwd, user: io.user, host: io.host, pid: io.pid, version: VERSION },
          onSubscriberError: (subscriber, event, error) =>
            out.error(`warning: reporter "${subscriber}" failed on ${event}: ${messageOf(error)}`),
        });
        const reports = await writeRunReports(io, out, result.journalPath, result.runDir, formats);
        if (metrics && flags.pushgateway !== undefined) {
          try {
            await (await import('../metrics/pushgateway.js')).pushMetrics(metrics.registry, flags.pushgateway, { instance: io.host, experiment: loaded.experiment.name });
            out.info(out.dim(`metrics pushed to ${flags.pushgateway}`));
          } catch (error) {
            reportError(out, error);
          }
        }
        const verdict =
          result.exitCode === ExitCode.Ok ? out.green('PASSED') : result.exitCode === ExitCode.Aborted ? out.yellow('ABORTED') : out.red('FAILED');
        for (const o of result.objectives) {
          const precision = o.uncertainty ? out.dim(` (${o.uncertainty})`) : '';
          out.result(`  ${o.passed ? out.green('✓') : out.red('✗')} ${o.kind === 'slo' ? `slo ${o.name}` : o.name}: ${o.message}${precision}`);
        }
        out.result(`${verdict} ${result.reason}`);
        out.result(out.dim(`exit ${result.exitCode} (${exitCodeMeaning[result.exitCode]}) · journal: ${result.journalPath}`));
        out.data({ ok: result.exitCode === ExitCode.Ok, ...result, reports });
        setExit(result.exitCode);
      } catch (error) {
        setExit(reportError(out, error));
      } finally {
        await metricsServer?.close();
      }
    },
  );
}

/**
 * Writes the reports from the journal the run just wrote; a failure here is reported but never changes the run's
 * verdict. Appends report.md to $GITHUB_STEP_SUMMARY when it is set (GitHub Actions).
 */
async function writeRunReports(io: CliIo, out: Output, journalPath: string, runDir: string, formats: ReturnType<typeof parseReportFormats>) {
  if (formats.length === 0) return {};
  try {
    const written = await writeReports(viewJournal(await readJournal(journalPath)), runDir, formats);
    const summary = io.env['GITHUB_STEP_SUMMARY'];
    if (summary && written.markdown !== null) await appendFile(summary, `${written.markdown}\n`);
    for (const [format, path] of Object.entries(written.paths)) out.info(out.dim(`${format}: ${path}`));
    return written.paths;
  } catch (error) {
    out.error(`warning: the reports could not be written: ${messageOf(error)}`);
    return {};
  }
}

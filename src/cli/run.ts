/**
 * `chaos run <file>`: run an experiment and exit with its verdict.
 */
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ExitCode, exitCodeMeaning } from '../errors.js';
import { runExperiment } from '../engine/run.js';
import { createRegistry } from '../plugins/registry.js';
import { consoleReporter, progressPrinter } from './console-reporter.js';
import { Output, type CliIo } from './io.js';
import { loadForCommand, reportError, stateDirOf, withVars, type GlobalFlags } from './shared.js';
import { VERSION } from '../version.js';

interface RunFlags extends GlobalFlags {
  file: string;
  var: string[];
  output?: string;
  force: boolean;
  yes: boolean;
}

/** `reports/<timestamp>-<name>` under the working directory. */
function defaultRunDir(io: CliIo, name: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return resolve(io.cwd, 'reports', `${stamp}-${name}`);
}

export function runCommand(io: CliIo, setExit: (code: ExitCode) => void) {
  return {
    command: 'run <file>',
    describe: 'run an experiment: inject, observe, revert, and exit with the verdict',
    builder: (y: Argv) =>
      withVars(y)
        .positional('file', { type: 'string', demandOption: true, describe: 'the experiment file (YAML)' })
        .option('output', { alias: 'o', type: 'string', describe: 'the run folder (default: reports/<timestamp>-<name>)' })
        .option('force', { type: 'boolean', default: false, describe: 'start even though the ledger holds unrecovered faults' })
        .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'confirm a run against targets marked production' }),
    handler: async (argv: unknown) => {
      const flags = argv as RunFlags;
      const out = new Output(io, flags);
      try {
        const registry = createRegistry();
        const loaded = await loadForCommand(io, registry, flags.file, flags.var);
        const runDir = flags.output ? resolve(io.cwd, flags.output) : defaultRunDir(io, loaded.experiment.name, new Date());
        if (flags.force) out.error(out.yellow('warning: --force: ignoring unrecovered faults in the ledger'));
        const result = await runExperiment(loaded, {
          registry,
          stateDir: stateDirOf(io, flags),
          runDir,
          signal: io.signal,
          force: flags.force,
          confirmProduction: flags.yes || io.env['CHAOS_CONFIRM'] === 'production',
          subscribers: [consoleReporter(out)],
          onProgress: io.stdout.isTTY === true && !out.quiet && !out.json ? progressPrinter(out) : undefined,
          invocation: { argv: ['chaos', ...io.argv], cwd: io.cwd, user: io.user, host: io.host, pid: io.pid, version: VERSION },
          onSubscriberError: (subscriber, event, error) =>
            out.error(`warning: reporter "${subscriber}" failed on ${event}: ${error instanceof Error ? error.message : String(error)}`),
        });
        const verdict =
          result.exitCode === ExitCode.Ok ? out.green('PASSED') : result.exitCode === ExitCode.Aborted ? out.yellow('ABORTED') : out.red('FAILED');
        for (const o of result.objectives) {
          const precision = o.uncertainty ? out.dim(` (${o.uncertainty})`) : '';
          out.result(`  ${o.passed ? out.green('✓') : out.red('✗')} ${o.kind === 'slo' ? `slo ${o.name}` : o.name}: ${o.message}${precision}`);
        }
        out.result(`${verdict} ${result.reason}`);
        out.result(out.dim(`exit ${result.exitCode} (${exitCodeMeaning[result.exitCode]}) · journal: ${result.journalPath}`));
        out.data({ ok: result.exitCode === ExitCode.Ok, ...result });
        setExit(result.exitCode);
      } catch (error) {
        setExit(reportError(out, error));
      }
    },
  };
}

/**
 * `chaos recover`: revert every fault (and release every resource) of runs whose process is gone.
 */
import type { Argv } from 'yargs';
import { ExitCode } from '../errors.js';
import { recover } from '../engine/recover.js';
import { createRegistry } from '../plugins/registry.js';
import { withExamples } from './examples.js';
import { Output, type CliIo } from './io.js';
import { stateDirOf, type GlobalFlags } from './options.js';
import { reportError } from './report-error.js';
import { commandBody, type CommandBody } from './command.js';

export function recoverCommand(io: CliIo, setExit: (code: ExitCode) => void): CommandBody {
  return commandBody(
    (y: Argv<GlobalFlags>) =>
      withExamples(y, [
        ['chaos recover', 'revert what runs that died left in .chaos/ (their process is gone); safe to repeat'],
        ['chaos recover --state-dir .chaos --json', 'the same, with what was reverted as JSON'],
      ]),
    async (flags: GlobalFlags) => {
      const out = new Output(io, flags);
      try {
        const report = await recover({
          stateDir: stateDirOf(io, flags),
          registry: createRegistry(),
          env: io.env,
          signal: io.signal,
          logger: { debug: (m) => out.debug(m), info: (m) => out.info(m), warn: (m) => out.error(`warning: ${m}`) },
        });
        out.data(report);
        for (const run of report.liveRunsSkipped) out.result(`skipped run ${run}: its process is still running`);
        for (const lock of report.locksRemoved) out.info(`removed ${lock}`);
        if (report.actions.length === 0) out.result('nothing to recover');
        for (const a of report.actions) {
          const mark = a.outcome === 'failed' ? out.red('✗ failed') : out.green(`✓ ${a.outcome}`);
          out.result(`${mark} ${a.kind} ${a.type} on "${a.target}" (${a.description}, run ${a.runId})${a.error ? `: ${a.error}` : ''}`);
        }
        setExit(report.actions.some((a) => a.outcome === 'failed') ? ExitCode.RevertFailed : ExitCode.Ok);
      } catch (error) {
        setExit(reportError(out, error));
      }
    },
  );
}

/**
 * `chaos validate <file>`: check an experiment file without contacting anything.
 */
import type { Argv } from 'yargs';
import { ExitCode } from '../errors.js';
import { createRegistry } from '../plugins/registry.js';
import { Output, type CliIo } from './io.js';
import { loadForCommand, reportError, withVars, type GlobalFlags } from './shared.js';

export function validateCommand(io: CliIo, setExit: (code: ExitCode) => void) {
  return {
    command: 'validate <file>',
    describe: 'check an experiment file (all problems at once); contacts nothing',
    builder: (y: Argv) => withVars(y).positional('file', { type: 'string', demandOption: true }),
    handler: async (argv: unknown) => {
      const flags = argv as GlobalFlags & { file: string; var: string[] };
      const out = new Output(io, flags);
      try {
        const { experiment } = await loadForCommand(io, createRegistry(), flags.file, flags.var);
        const faults = experiment.method.filter((s) => s.kind === 'fault').length;
        out.result(
          `${out.green('valid')} ${flags.file}: ${experiment.name} — ${Object.keys(experiment.targets).length} target(s), ` +
            `${experiment.steadyState.length} steady-state probe(s), ${experiment.method.length} method step(s) ` +
            `(${faults} fault(s)), ${experiment.rollbacks.length} rollback(s)`,
        );
        out.data({ ok: true, experiment });
        setExit(ExitCode.Ok);
      } catch (error) {
        setExit(reportError(out, error));
      }
    },
  };
}

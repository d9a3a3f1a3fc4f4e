/**
 * `chaos validate <file>`: check an experiment file, or a game-day plan and every experiment it names, without
 * contacting anything.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { parse } from 'yaml';
import { ExitCode } from '../errors.js';
import { createRegistry } from '../plugins/registry.js';
import { withExamples } from './examples.js';
import { Output, type CliIo } from './io.js';
import { withVars, type GlobalFlags } from './options.js';
import { reportError } from './report-error.js';
import { loadForCommand, loadPlanForCommand } from './shared.js';
import { commandBody, type CommandBody } from './command.js';

export function validateCommand(io: CliIo, setExit: (code: ExitCode) => void): CommandBody {
  return commandBody(
    (y: Argv<GlobalFlags>) =>
      withVars(
        withExamples(y, [
          ['chaos validate experiments/region-failover.yaml', 'an experiment: every problem at once, with file:line:column'],
          ['chaos validate scenarios/weekly-gameday.yaml', 'a game-day plan and every experiment it names'],
          ['chaos validate experiments/process-pause.yaml --var port=18181 --json', 'with a variable set; the resolved experiment as JSON'],
        ]),
      ).positional('file', { type: 'string', demandOption: true }),
    async (flags) => {
      const out = new Output(io, flags);
      try {
        if (await isPlanFile(resolve(io.cwd, flags.file))) {
          const loaded = await loadPlanForCommand(io, out, createRegistry(), flags.file);
          out.result(
            `${out.green('valid')} ${flags.file}: game-day plan ${loaded.plan.name} — ${loaded.runs.length} experiment(s), each valid ` +
              `(${loaded.runs.map((r) => r.name).join(', ')}); stopOn: ${loaded.plan.stopOn}`,
          );
          out.data({ ok: true, plan: loaded.plan.name, experiments: loaded.runs.map((r) => ({ name: r.name, file: r.file })) });
          setExit(ExitCode.Ok);
          return;
        }
        const { experiment } = await loadForCommand(io, out, createRegistry(), flags.file, flags.var);
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
  );
}

/**
 * A plan is a mapping with `experiments:` and no `method:`. An experiment in block style (as every one we know is)
 * says `method:` at the start of a line, as in block style only a top-level key does: that answers without parsing the
 * file twice.
 * Anything else is parsed; what does not parse is left to the experiment loader, which reports it with its position.
 */
async function isPlanFile(path: string): Promise<boolean> {
  try {
    const text = await readFile(path, 'utf8');
    if (/^method[ \t]*:/m.test(text)) return false;
    const doc: unknown = parse(text, { logLevel: 'silent' });
    return doc !== null && typeof doc === 'object' && !Array.isArray(doc) && 'experiments' in doc && !('method' in doc);
  } catch {
    return false;
  }
}

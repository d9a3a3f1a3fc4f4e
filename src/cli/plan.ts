/**
 * `chaos plan <file>`: what would be injected, where, for how long. Changes nothing.
 */
import type { Argv } from 'yargs';
import { ExitCode } from '../errors.js';
import { planExperiment } from '../engine/plan.js';
import { formatDuration } from '../units/duration.js';
import { createRegistry } from '../plugins/registry.js';
import { withExamples } from './examples.js';
import { Output, type CliIo } from './io.js';
import { stateDirOf, withVars, type GlobalFlags } from './options.js';
import { reportError } from './report-error.js';
import { loadForCommand } from './shared.js';
import { commandBody, type CommandBody } from './command.js';

export function planCommand(io: CliIo, setExit: (code: ExitCode) => void): CommandBody {
  return commandBody(
    (y: Argv<GlobalFlags>) =>
      withVars(
        withExamples(y, [
          ['chaos plan experiments/latency-injection.yaml', 'the targets, and each fault with where and how long; injects nothing'],
          ['chaos plan experiments/process-pause.yaml --var port=18181 --json', 'with a variable set, as JSON'],
        ]),
      ).positional('file', { type: 'string', demandOption: true }),
    async (flags: GlobalFlags & { file: string; var: string[] }) => {
      const out = new Output(io, flags);
      try {
        const registry = createRegistry();
        const loaded = await loadForCommand(io, out, registry, flags.file, flags.var);
        const plan = await planExperiment(loaded, { registry, workDir: stateDirOf(io, flags), signal: io.signal });
        out.data(plan);
        out.result(`${out.bold(plan.title)} (${plan.experiment}); stops after ${formatDuration(plan.maxDurationMs)} at most`);
        out.result('Targets:');
        for (const t of plan.targets) {
          const attrs = Object.entries(t.attributes).map(([k, v]) => `${k}=${v}`).join(' ');
          out.result(`  ${t.name} (${t.type}${t.environment ? `, ${t.environment}` : ''})${attrs ? ` ${attrs}` : ''}`);
        }
        if (plan.steadyState.length > 0) out.result(`Steady state: ${plan.steadyState.join(', ')}`);
        out.result('Method:');
        for (const step of plan.method) {
          const how = step.kind === 'fault' ? (step.durationMs === null ? 'until the method ends' : `for ${formatDuration(step.durationMs)}`) : '';
          const bg = step.background ? ' [background]' : '';
          out.result(`  ${step.kind === 'fault' ? out.yellow('fault') : step.kind}: ${step.name} ${how}${bg}`.trimEnd());
          for (const c of step.changes) out.result(`      would ${c.action} on ${c.target}`);
          if (step.error) out.result(out.red(`      cannot tell what would change: ${step.error}`));
        }
        if (plan.rollbacks.length > 0) out.result(`Rollbacks: ${plan.rollbacks.join(', ')}`);
        out.result(out.dim('Nothing was injected.'));
        setExit(ExitCode.Ok);
      } catch (error) {
        setExit(reportError(out, error));
      }
    },
  );
}

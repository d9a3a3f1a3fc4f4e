import { ChaosError, ExitCode } from '../../../errors.js';
import type { ActionType } from '../../api.js';
import { commandParamsSchema, type CommandParams } from '../params.js';
import { judgeCommand, runCommand } from '../run-command.js';

/** `command` action: runs a command (a rollback script, a deploy); fails unless it meets `expect` (exit code 0). */
export const commandAction: ActionType<unknown, CommandParams> = {
  type: 'command',
  description: 'Run a command; fails unless exit code and output meet `expect` (default: exit code 0)',
  needsTarget: false,
  params: commandParamsSchema,
  async run(_session, params, ctx) {
    const outcome = judgeCommand(params, await runCommand(params, ctx.signal));
    if (!outcome.ok) {
      throw new ChaosError(outcome.message, { code: 'E_COMMAND_FAILED', exitCode: ExitCode.Failed });
    }
    return outcome.output;
  },
};

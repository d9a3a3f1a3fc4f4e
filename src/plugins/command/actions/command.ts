import { ChaosError, ExitCode } from '../../../errors.js';
import { defineAction } from '../../api.js';
import { judgeCommand, runCommand } from '../run-command.js';
import { commandActionSpec } from '../specs.js';

/** `command` action: runs a command (a rollback script, a deploy); fails unless it meets `expect` (exit code 0). */
export const commandAction = defineAction({
  ...commandActionSpec,
  async run(_session, params, ctx) {
    const outcome = judgeCommand(params, await runCommand(params, ctx.signal));
    if (!outcome.ok) {
      throw new ChaosError(outcome.message, { code: 'E_COMMAND_FAILED', exitCode: ExitCode.Failed });
    }
    return outcome.output;
  },
});

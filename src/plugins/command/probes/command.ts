import type { ProbeType } from '../../api.js';
import { commandParamsSchema, type CommandParams } from '../params.js';
import { judgeCommand, runCommand } from '../run-command.js';

/** `command` probe: runs a command; passes when exit code and output meet `expect` (exit code 0 by default). */
export const commandProbe: ProbeType<unknown, CommandParams> = {
  type: 'command',
  description: 'Run a command and check its exit code, stdout and stderr',
  needsTarget: false,
  params: commandParamsSchema,
  async run(_session, params, ctx) {
    return judgeCommand(params, await runCommand(params, ctx.signal));
  },
};

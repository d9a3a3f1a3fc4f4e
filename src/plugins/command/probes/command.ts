import { defineProbe } from '../../api.js';
import { judgeCommand, runCommand } from '../run-command.js';
import { commandProbeSpec } from '../specs.js';

/** `command` probe: runs a command; passes when exit code and output meet `expect` (exit code 0 by default). */
export const commandProbe = defineProbe({
  ...commandProbeSpec,
  async run(_session, params, ctx) {
    return judgeCommand(params, await runCommand(params, ctx.signal));
  },
});

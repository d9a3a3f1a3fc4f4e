/**
 * `process.running`: whether the target's process is alive and not stopped (state T).
 */
import { isProcessAlive, processState } from '../../../os/process-identity.js';
import { defineProbe } from '../../api.js';
import type { ProcessSession } from '../session.js';
import { runningSpec } from '../specs.js';

export const runningProbe = defineProbe({
  ...runningSpec,
  async run(session: ProcessSession | undefined, p) {
    if (session === undefined) throw new Error('process.running needs a target');
    const located = await session.locate();
    const expected = p.running ? 'running' : 'not running';
    if (located.identity === null) {
      const output = { pid: null, alive: false, stopped: false, state: null };
      return { ok: !p.running, message: `no process: ${located.reason}${p.running ? `, expected ${expected}` : ''}`, output };
    }
    const { pid } = located.identity;
    const alive = isProcessAlive(located.identity);
    const state = alive ? processState(pid) : null;
    const stopped = state === 'T' || state === 't';
    const running = alive && !stopped;
    const now = !alive ? 'not alive' : stopped ? 'stopped (state T)' : 'running';
    const ok = running === p.running;
    return {
      ok,
      message: ok ? `process ${pid} is ${now}` : `process ${pid} is ${now}, expected ${expected}`,
      output: { pid, alive, stopped, state },
    };
  },
});

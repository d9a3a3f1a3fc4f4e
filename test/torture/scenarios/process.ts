/**
 * Processes: a service the run did not start (a pid-file target) is paused, and a worker the run starts itself
 * (a `command` target) is restarted and killed. Left behind: a service still stopped (SIGSTOP), a worker (or any
 * process) the run started still running.
 */
import { join } from 'node:path';
import { startService } from '../../support/cli.js';
import type { Scenario } from '../scenario.js';
import { durationLine } from './durations.js';

export const processScenario: Scenario = {
  name: 'process',
  faults: ['process.pause', 'process.restart', 'process.kill'],
  unavailable: () => null,
  windowMs: 2_000,
  async prepare({ dir, random }) {
    const service = await startService(dir);
    const faults = [
      `  - fault: { type: process.pause, target: svc }\n${durationLine(random)}`,
      `  - fault: { type: process.restart, target: worker, grace: 500ms }\n`,
      `  - fault: { type: process.kill, target: worker }\n${durationLine(random)}`,
    ];
    const experiment = `version: 1
name: torture-process
targets:
  svc: { type: process, pidFile: "${service.pidFile}" }
  worker: { type: process, command: [node, -e, "setInterval(() => {}, 1000)", "${join(dir, 'worker')}"] }
method:
${random.pick([faults, [faults[1]!, faults[0]!, faults[2]!], [faults[2]!, faults[0]!]]).join('')}  - pause: 30s
`;
    return {
      experiment,
      ownPids: [service.pid],
      async leftovers() {
        const state = service.state();
        if (state === null) return [`the service (pid ${service.pid}) is gone: nothing should have killed it`];
        return state === 'T' || state === 't' ? [`the service (pid ${service.pid}) is still stopped (SIGSTOP)`] : [];
      },
      cleanup: () => service.stop(),
    };
  },
};

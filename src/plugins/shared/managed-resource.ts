/**
 * The `process.managed` resource: releases a process a crashed run started, from its recorded state alone. The
 * state is at least the intent (`marker`, `command`), written before the spawn; once the process ran, also its
 * `pid` and `startTime`. Ledgers of earlier versions have a PID and no marker.
 */
import type { JsonObject } from '../../json.js';
import type { Logger, ResourceType } from '../api.js';
import { identifyProcess, isProcessAlive, type ProcessIdentity } from '../../os/process-identity.js';
import { STOP_GRACE_MS } from './managed-process.js';
import { managedProcessResourceSpec } from './managed-resource-spec.js';
import { processesMarked } from './marked-processes.js';
import { stopProcess } from '../../os/stop-process.js';

export const managedProcessResource: ResourceType = {
  ...managedProcessResourceSpec,
  async release(state: JsonObject, logger: Logger): Promise<void> {
    const { pid, startTime, marker } = state;
    const recorded = typeof pid === 'number' && (typeof startTime === 'string' || startTime === null) ? { pid, startTime } : null;
    if ((recorded === null && typeof marker !== 'string') || (marker !== undefined && typeof marker !== 'string')) {
      throw new Error(`process.managed: malformed state ${JSON.stringify(state)}`);
    }
    const command = Array.isArray(state.command) ? state.command.join(' ') : 'process';
    // A different start time means the PID was reused: that is not our process, leave it alone.
    if (recorded !== null && isProcessAlive(recorded)) {
      await stopProcess(recorded, { graceMs: STOP_GRACE_MS, group: true }, logger);
      logger.info(`stopped ${command} (pid ${recorded.pid}), left behind by an earlier run`);
    }
    if (typeof marker !== 'string') {
      if (recorded !== null && !isProcessAlive(recorded)) logger.info(`${command} (pid ${recorded.pid}) is already gone`);
      return;
    }
    // Whatever still carries the marker: the process itself when the runner died before recording its PID, and
    // descendants that left its process group.
    const left: ProcessIdentity[] = processesMarked(marker).map(identifyProcess);
    await Promise.all(left.map((identity) => stopProcess(identity, { graceMs: STOP_GRACE_MS, group: true }, logger)));
    if (left.length > 0) logger.info(`stopped ${left.length} process(es) started for ${command} by an earlier run (pids ${left.map((p) => p.pid).join(', ')})`);
    else if (recorded === null) logger.info(`${command} was never started, or is already gone`);
  },
};

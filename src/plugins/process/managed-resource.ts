/**
 * The `process.managed` resource: releases a process a crashed run started, from its recorded state alone.
 */
import type { JsonObject } from '../../json.js';
import type { Logger, ResourceType } from '../api.js';
import { isProcessAlive } from '../../engine/process-identity.js';
import { MANAGED_RESOURCE, STOP_GRACE_MS } from './managed-process.js';
import { stopProcess } from './stop-process.js';

export const managedProcessResource: ResourceType = {
  type: MANAGED_RESOURCE,
  async release(state: JsonObject, logger: Logger): Promise<void> {
    const pid = state.pid;
    const startTime = state.startTime;
    if (typeof pid !== 'number' || (typeof startTime !== 'string' && startTime !== null)) {
      throw new Error(`process.managed: malformed state ${JSON.stringify(state)}`);
    }
    const identity = { pid, startTime };
    const command = Array.isArray(state.command) ? state.command.join(' ') : 'process';
    // A different start time means the PID was reused: that is not our process, leave it alone.
    if (!isProcessAlive(identity)) {
      logger.info(`${command} (pid ${pid}) is already gone`);
      return;
    }
    await stopProcess(identity, { graceMs: STOP_GRACE_MS, group: true }, logger);
    logger.info(`stopped ${command} (pid ${pid}), left behind by an earlier run`);
  },
};

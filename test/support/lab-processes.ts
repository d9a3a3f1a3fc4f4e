/**
 * The processes a lab started, from its ground-truth event log (the lab's own pid and start time in
 * `lab-started`, every instance's in `instance-started`), so tests can check by identity that none survives, and
 * clean up after a failing test without touching any other process.
 */
import { isProcessAlive, type ProcessIdentity } from '../../src/os/process-identity.js';
import { readEventLog } from '../../src/lab/event-log.js';

export function labProcessesIn(eventsPath: string): ProcessIdentity[] {
  return readEventLog(eventsPath).flatMap((e) =>
    (e.event === 'lab-started' || e.event === 'instance-started') && typeof e.pid === 'number'
      ? [{ pid: e.pid, startTime: typeof e.startTime === 'string' ? e.startTime : null }]
      : [],
  );
}

export function aliveOf(processes: readonly ProcessIdentity[]): ProcessIdentity[] {
  return processes.filter((p) => isProcessAlive(p));
}

/** SIGKILL every process of the lab still alive (a failing test's leftovers); never any other process. */
export function killLabProcesses(eventsPath: string): void {
  for (const p of aliveOf(labProcessesIn(eventsPath))) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

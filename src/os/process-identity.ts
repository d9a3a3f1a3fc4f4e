/**
 * A process identity that survives PID reuse: the PID plus the kernel's start time of that process (Linux
 * /proc/<pid>/stat field 22, in clock ticks since boot). Elsewhere the start time is null and only the PID counts.
 */
import { readFileSync } from 'node:fs';
import { errnoCode } from '../errors.js';

export interface ProcessIdentity {
  pid: number;
  /** Opaque; compare for equality only. Null where the platform does not tell. */
  startTime: string | null;
}

/** The start time of a process, or null when it does not exist or the platform does not say. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces; fields after the last ')' are fixed.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[19] ?? null; // field 22 overall: state is field 3, i.e. rest[0]
  } catch {
    return null;
  }
}

export function identifyProcess(pid: number): ProcessIdentity {
  return { pid, startTime: processStartTime(pid) };
}

/** This process: for a caller that was handed no invocation (an API caller of `recover`). */
export function currentProcess(): ProcessIdentity {
  return identifyProcess(process.pid);
}

/** True while the process exists (zombies excluded) and, when a start time was recorded, is the same process. */
export function isProcessAlive(identity: ProcessIdentity): boolean {
  try {
    process.kill(identity.pid, 0);
  } catch (err) {
    if (errnoCode(err) !== 'EPERM') return false;
  }
  if (processState(identity.pid) === 'Z') return false;
  if (identity.startTime === null) return true;
  const now = processStartTime(identity.pid);
  return now === null || now === identity.startTime;
}

/** The one-letter state of a process from /proc (R, S, T for stopped, Z for zombie…), or null. */
export function processState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? null;
  } catch {
    return null;
  }
}

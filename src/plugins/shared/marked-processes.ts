/**
 * Finding the processes a run started by a marker in their environment. A managed process is started with
 * `CHAOSDRILL_RESOURCE=<marker>`, recorded in the ledger before the spawn: if the runner dies before it could
 * record the PID, or the process left children outside its group, the marker still finds every one of them. Every
 * descendant inherits it (the lab's instances too); /proc/<pid>/environ keeps the environment a process started
 * with. Linux only: elsewhere nothing is found, and only the recorded PID is stopped.
 */
import { readdirSync, readFileSync } from 'node:fs';

export const MARKER_VARIABLE = 'CHAOSDRILL_RESOURCE';

/** The PIDs of live processes whose environment carries `marker`; never this process. */
export function processesMarked(marker: string): number[] {
  const needle = Buffer.from(`${MARKER_VARIABLE}=${marker}\0`);
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${entry}/environ`);
    } catch {
      continue; // gone, or not ours to read
    }
    // The first variable has no NUL before it; every other starts after one.
    if (environ.subarray(0, needle.length).equals(needle) || environ.includes(Buffer.concat([Buffer.from([0]), needle]))) found.push(Number(entry));
  }
  return found;
}

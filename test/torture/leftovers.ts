/**
 * Generic checks after recover, for every scenario: no process the run started is left (found by the trial's
 * directory in its command line or environment: managed commands name it, a lab's LAB_DIR is under it), no lock
 * file, and nothing unrecovered in the ledger.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readLedgerRuns, unrecoveredEntries } from '../../src/state/ledger.js';

/** PIDs of live processes (not zombies) whose command line or environment contains `needle`. */
export function processesNaming(needle: string, except: readonly number[]): number[] {
  const found: number[] = [];
  const bytes = Buffer.from(needle);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid || except.includes(pid)) continue;
    try {
      const state = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (state.slice(state.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (readFileSync(`/proc/${pid}/cmdline`).includes(bytes) || readFileSync(`/proc/${pid}/environ`).includes(bytes)) found.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

export function describeProcess(pid: number): string {
  try {
    return `process ${pid} (${readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim().slice(0, 120)})`;
  } catch {
    return `process ${pid}`;
  }
}

/** Lock files, heartbeats and recover claims, and unrecovered ledger entries under the state directory. */
export async function stateLeftovers(stateDir: string): Promise<string[]> {
  const left: string[] = [];
  const locks = await readdir(join(stateDir, 'locks')).catch(() => [] as string[]);
  for (const name of locks) left.push(`lock file ${name}`);
  const liveness = await readdir(join(stateDir, 'liveness')).catch(() => [] as string[]);
  for (const name of liveness) left.push(`liveness file ${name}`);
  for (const { run, entry } of await unrecoveredEntries(stateDir)) left.push(`unrecovered ledger entry ${entry.type} (${entry.status}) of run ${run.header.runId}`);
  for (const run of await readLedgerRuns(stateDir)) if (!run.finished) left.push(`ledger of run ${run.header.runId} not finished`);
  return left;
}

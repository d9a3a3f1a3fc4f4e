import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { identifyProcess, type ProcessIdentity } from '../../src/os/process-identity.js';

/** The identity of a real process that has already exited: what a dead runner looks like in a ledger or a lock. */
export async function deadProcess(): Promise<ProcessIdentity> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 300)'], { stdio: 'ignore' });
  await once(child, 'spawn');
  const identity = identifyProcess(child.pid as number);
  await once(child, 'exit');
  return identity;
}

/**
 * The real kubectl against a kubeconfig (the fake API server's): resolves with stdout; an error carries kubectl's
 * stderr in its message, which is what kubectl shows a person.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export function kubectlWith(kubeconfig: () => string): (...args: string[]) => Promise<string> {
  return async (...args) => {
    try {
      return (await run('kubectl', args, { env: { ...process.env, KUBECONFIG: kubeconfig() }, timeout: 60_000, maxBuffer: 8 * 1024 * 1024 })).stdout;
    } catch (error) {
      const e = error as Error & { stderr?: string };
      e.message = `kubectl ${args.join(' ')}: ${e.stderr ?? e.message}`;
      throw e;
    }
  };
}

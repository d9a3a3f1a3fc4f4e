#!/usr/bin/env node
/**
 * The only file that touches `process`: arguments, environment, standard streams, signals (SIGINT, SIGTERM and
 * SIGHUP abort the run, which still reverts every fault) and the exit code.
 */
import { hostname, userInfo } from 'node:os';
import { isatty } from 'node:tty';
import { main } from './cli/main.js';

const abort = new AbortController();
let signals = 0;
const onSignal = (name: NodeJS.Signals) => {
  signals++;
  if (signals === 1) {
    abort.abort(name);
    return;
  }
  // Later signals never skip reverts; they only say what is happening.
  process.stderr.write(`\n${name} again: reverting faults, please wait (reverts are never skipped)\n`);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// A dropped ssh session: the same as SIGTERM, never a death without reverting.
process.on('SIGHUP', onSignal);
// With the terminal gone, writes fail (EPIPE, EIO). Losing output is fine; dying on it before the reverts is not.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? 'unknown';
  }
}

const code = await main({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  // Opened lazily: touching process.stdin starts a handle, which only `chaos init`'s questions need.
  stdin: { isTTY: isatty(0), stream: () => process.stdin },
  signal: abort.signal,
  user: currentUser(),
  host: hostname(),
  pid: process.pid,
});
process.exitCode = code;

/**
 * One torture trial: start a real run (`node dist/bin.js run`), kill -9 it at a random instant, run `chaos
 * recover`, then look from the outside for anything left behind.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHAOS_BIN } from '../support/cli.js';
import type { TortureEnvironment } from './environment.js';
import { describeProcess, processesNaming, stateLeftovers } from './leftovers.js';
import { seededRandom } from './random.js';
import type { Scenario } from './scenario.js';

export interface TrialResult {
  index: number;
  seed: number;
  scenario: string;
  /** ms after the run folder appeared; null when the run ended by itself first. */
  killedAfterMs: number | null;
  /** Exit code of the run when it ended by itself. */
  runExit: number | null;
  left: string[];
  /** Ledger entries `chaos recover` reverted or released: what the kill left for it. */
  recovered: number;
  durationMs: number;
  /** The end of the runner's and recover's output, for a trial that left something behind. */
  output: string;
}

/** How long processes that end by themselves (a pg_dump the runner started) get before they count as left. */
const SETTLE_MS = 3_000;
const RECOVER_TIMEOUT_MS = 120_000;

interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

function startCli(args: string[], cwd: string): { pid: number; kill(): void; exited: Promise<Exited> } {
  const child = spawn(process.execPath, [CHAOS_BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', CI: '1' } });
  let output = '';
  const keep = (d: string) => (output = (output + d).slice(-4_000));
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  const exited = new Promise<Exited>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, output })));
  return { pid: child.pid as number, kill: () => child.kill('SIGKILL'), exited };
}

/** `skipRecover`: check the checks; a trial killed with a fault in place must then report it as left behind. */
export async function runTrial(scenario: Scenario, env: TortureEnvironment, index: number, seed: number, skipRecover = false): Promise<TrialResult> {
  const started = Date.now();
  const random = seededRandom(seed);
  const dir = await mkdtemp(join(tmpdir(), 'chaos-torture-'));
  // Server programs (PostgreSQL as its own user) must reach the backups in the run folder.
  await chmod(dir, 0o755);
  const token = `t${randomBytes(4).toString('hex')}`;
  const prepared = await scenario.prepare({ dir, token, env, random });
  const left: string[] = [];
  let output = '';
  let killedAfterMs: number | null = null;
  let runExit: number | null = null;
  let recovered = 0;
  try {
    const file = join(dir, 'experiment.yaml');
    await writeFile(file, prepared.experiment);
    const stateDir = join(dir, 'state');
    const runner = startCli(['run', file, '--state-dir', stateDir, '-o', join(dir, 'run'), '--format', 'none'], dir);
    let ended: Exited | null = null;
    void runner.exited.then((e) => (ended = e));
    // The kill clock starts when the run folder appears: the node start-up before it is the same for every trial.
    while (ended === null && !(await exists(join(dir, 'run', 'journal.json')))) await sleep(10);
    const delay = random.int(0, scenario.windowMs);
    await sleep(delay);
    if (ended === null) {
      runner.kill();
      killedAfterMs = delay;
    }
    const run = await runner.exited;
    if (killedAfterMs === null) runExit = run.code;
    output += `--- run (${killedAfterMs === null ? `exit ${run.code}` : `kill -9 after ${delay} ms`}):\n${run.output}\n`;

    if (!skipRecover) {
      const recover = startCli(['recover', '--state-dir', stateDir], dir);
      const timer = setTimeout(() => recover.kill(), RECOVER_TIMEOUT_MS);
      const done = await recover.exited;
      clearTimeout(timer);
      output += `--- recover (exit ${done.code ?? done.signal}):\n${done.output}\n`;
      if (done.code !== 0) left.push(`chaos recover exited ${done.code ?? done.signal}`);
      recovered = done.output.split('\n').filter((l) => /^✓ (reverted|released) /.test(l)).length;
    }

    left.push(...(await stateLeftovers(stateDir)));
    left.push(...(await prepared.leftovers()));
    let stray = processesNaming(dir, prepared.ownPids);
    for (const deadline = Date.now() + SETTLE_MS; stray.length > 0 && Date.now() < deadline; stray = processesNaming(dir, prepared.ownPids)) await sleep(100);
    left.push(...stray.map(describeProcess));
    // Whatever the verdict, the next trial starts clean.
    for (const pid of stray) kill(pid);
  } finally {
    await prepared.cleanup().catch((error: unknown) => left.push(`cleanup failed: ${String(error)}`));
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
  return { index, seed, scenario: scenario.name, killedAfterMs, runExit, left, recovered, durationMs: Date.now() - started, output };
}

function kill(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // not a group leader, or gone
    }
  }
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

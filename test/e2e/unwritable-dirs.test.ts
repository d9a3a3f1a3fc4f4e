/**
 * A state directory or a run folder the runner cannot write is an infrastructure error before anything is
 * contacted (issue 13, defect 9): exit 5 and one sentence saying which directory and why, never a stack trace.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CHAOS_BIN, runChaos, tempDir, writeExperiment, type ChaosOutcome } from '../support/cli.js';

const EXPERIMENT = `version: 1
name: tiny
method:
  - probe: { type: command, run: [node, -e, "process.exit(0)"] }
`;

/** Runs the CLI as the unprivileged user `nobody` (root writes anywhere, so permissions mean nothing to it). */
function runAsNobody(args: string[], cwd: string): Promise<ChaosOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CHAOS_BIN, ...args], { cwd, uid: 65534, gid: 65534, env: { ...process.env, HOME: cwd, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function expectOneSentenceExit5(out: ChaosOutcome, code: string, what: RegExp): void {
  const text = out.stdout + out.stderr;
  expect(out.code, text).to.equal(5);
  expect(text).to.contain(code).and.match(what);
  expect(text, 'a stack trace').to.not.match(/\n\s+at .+:\d+:\d+/);
  expect(text).to.not.contain('internal error');
}

describe('chaos run with a directory it cannot write', function () {
  this.timeout(30_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let file: string;
  let aFile: string;

  beforeEach(async () => {
    dir = await tempDir();
    file = await writeExperiment(dir.path, 'tiny.yaml', EXPERIMENT);
    aFile = join(dir.path, 'not-a-directory');
    await writeFile(aFile, '');
  });
  afterEach(() => dir.cleanup());

  it('exits 5 with one sentence when the state directory is under a file', async () => {
    const out = await runChaos(['run', file, '--state-dir', join(aFile, 'state'), '-o', join(dir.path, 'run')], { cwd: dir.path });
    expectOneSentenceExit5(out, 'E_STATE_DIR_UNWRITABLE', /cannot use the state directory .*not-a-directory\/state \(a part of the path is a file/);
  });

  it('exits 5 with one sentence when the run folder is under a file', async () => {
    const out = await runChaos(['run', file, '--state-dir', join(dir.path, 'state'), '-o', join(aFile, 'run')], { cwd: dir.path });
    expectOneSentenceExit5(out, 'E_RUN_DIR_UNWRITABLE', /cannot write the run folder .*not-a-directory\/run \(a part of the path is a file/);
  });

  it('exits 5 with one sentence when the state directory or the run folder is not writable (permission denied)', async () => {
    const root = process.getuid?.() === 0;
    const writable = join(dir.path, 'writable');
    const readOnly = join(dir.path, 'read-only');
    await mkdir(writable, { mode: 0o777 });
    await mkdir(readOnly);
    await chmod(writable, 0o777);
    await chmod(readOnly, 0o555);
    // nobody must reach the experiment file and the folders: mkdtemp made the test dir private to its owner.
    await chmod(dir.path, 0o755);
    const run = (args: string[]) => (root ? runAsNobody(args, dir.path) : runChaos(args, { cwd: dir.path }));
    try {
      const state = await run(['run', file, '--state-dir', join(readOnly, 'state'), '-o', join(writable, 'run')]);
      expectOneSentenceExit5(state, 'E_STATE_DIR_UNWRITABLE', /read-only\/state \(permission denied\)/);
      const folder = await run(['run', file, '--state-dir', join(writable, 'state'), '-o', join(readOnly, 'run')]);
      expectOneSentenceExit5(folder, 'E_RUN_DIR_UNWRITABLE', /read-only\/run \(permission denied\)/);
    } finally {
      await chmod(readOnly, 0o755);
    }
  });
});

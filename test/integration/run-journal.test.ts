/**
 * The engine writes its own journal (issue 13, defect 8): a slow disk never makes it lose its end, and a run
 * folder that holds a journal is never written over.
 */
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ChaosError, ExitCode } from '../../src/errors.js';
import { JournalWriter, readJournal, verifyJournal } from '../../src/state/journal.js';
import { runExperiment, type RunOptions } from '../../src/engine/run.js';
import { loadExperimentText } from '../../src/experiment/load.js';
import type { Json } from '../../src/json.js';
import { builtinPlugins, createRegistry } from '../../src/plugins/registry.js';
import { tempDir } from '../support/cli.js';
import { filesPlugin } from '../support/files-plugin.js';

const registry = createRegistry([...builtinPlugins(), filesPlugin]);

describe('the run journal', function () {
  this.timeout(30_000);
  let dir: { path: string; cleanup(): Promise<void> };
  beforeEach(async () => (dir = await tempDir()));
  afterEach(() => dir.cleanup());

  async function run(options: Partial<RunOptions> = {}) {
    const text = `version: 1
name: journal
targets:
  sys: { type: files, dir: "${join(dir.path, 'sys')}" }
method:
  - fault: { type: files.flag, target: sys, flag: a }
`;
    const loaded = await loadExperimentText(text, 'journal.yaml', { registry });
    return runExperiment(loaded, {
      registry,
      stateDir: join(dir.path, 'state'),
      runDir: join(dir.path, 'run'),
      invocation: { argv: ['test'], cwd: dir.path, user: 'test', host: 'test', pid: process.pid, version: 'test' },
      ...options,
    });
  }

  it('keeps writing every entry to its end when one append takes longer than a subscriber may', async () => {
    // One write stalls for 5.5 s (a disk hiccup), longer than the bus waits for any subscriber (5 s).
    const append = JournalWriter.prototype.append;
    let stalled = false;
    JournalWriter.prototype.append = async function (this: JournalWriter, kind: string, data: Json) {
      if (kind === 'fault-injected' && !stalled) {
        stalled = true;
        await new Promise((resolve) => setTimeout(resolve, 5_500));
      }
      return append.call(this, kind, data);
    };
    let result;
    try {
      result = await run();
    } finally {
      JournalWriter.prototype.append = append;
    }
    expect(result.exitCode, result.reason).to.equal(0);
    const journal = await readJournal(result.journalPath);
    const kinds = journal.entries.map((e) => e.kind);
    expect(kinds).to.include.members(['fault-injected', 'fault-reverted']);
    expect(kinds.at(-1)).to.equal('run-finished');
    expect(verifyJournal(journal).ok).to.equal(true);
  });

  it('refuses a run folder that holds another run\'s journal (exit 2) and leaves that journal as it was', async () => {
    const first = await run();
    const before = await readFile(first.journalPath, 'utf8');
    const error = await run().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ChaosError);
    expect((error as ChaosError).code).to.equal('E_RUN_DIR_TAKEN');
    expect((error as ChaosError).exitCode).to.equal(ExitCode.InvalidInput);
    expect(await readFile(first.journalPath, 'utf8')).to.equal(before);
  });

  it('gives two runs that share a default folder name (same second) a folder each', async () => {
    const first = await run({ uniqueRunDir: true });
    const second = await run({ uniqueRunDir: true });
    expect(first.runDir).to.equal(join(dir.path, 'run'));
    expect(second.runDir).to.equal(join(dir.path, 'run-2'));
    expect((await readJournal(first.journalPath)).entries[0]?.data).to.deep.include({ runId: first.runId });
    expect((await readJournal(second.journalPath)).entries[0]?.data).to.deep.include({ runId: second.runId });
  });
});

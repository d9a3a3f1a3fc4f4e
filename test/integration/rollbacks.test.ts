/**
 * `rollbacks` always run once the method has begun (README: "always run after every fault's own revert"), also
 * when the method throws instead of ending. The method here throws the way it would on a LoadedExperiment from a
 * newer format: a step of a kind this engine does not know.
 */
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runExperiment } from '../../src/engine/run.js';
import { loadExperimentText } from '../../src/experiment/load.js';
import type { MethodStep } from '../../src/experiment/types.js';
import { builtinPlugins, createRegistry } from '../../src/plugins/registry.js';
import { filesPlugin } from '../support/files-plugin.js';
import { readJournalDoc, tempDir } from '../support/cli.js';

const registry = createRegistry([...builtinPlugins(), filesPlugin]);

describe('rollbacks always run', function () {
  this.timeout(20_000);
  let dir: { path: string; cleanup(): Promise<void> };
  beforeEach(async () => (dir = await tempDir()));
  afterEach(() => dir.cleanup());

  it('runs the rollbacks, after reverting the faults, when the method throws', async () => {
    const sys = join(dir.path, 'sys');
    const loaded = await loadExperimentText(
      `version: 1
name: method-throws
targets:
  sys: { type: files, dir: "${sys}" }
method:
  - fault: { type: files.flag, target: sys, flag: a }
rollbacks:
  - action: { type: files.log, target: sys, line: rollback }
`,
      'method-throws.yaml',
      { registry },
    );
    const unknown = { ...loaded.experiment.method[0]!, kind: 'approval', name: 'wait for approval' } as unknown as MethodStep;
    loaded.experiment.method.push(unknown);
    const result = await runExperiment(loaded, {
      registry,
      stateDir: join(dir.path, 'state'),
      runDir: join(dir.path, 'run'),
      invocation: { argv: ['test'], cwd: dir.path, user: 'test', host: 'test', pid: process.pid, version: 'test' },
    });
    expect(result.exitCode, result.reason).to.equal(1);
    expect(result.reason).to.match(/^internal error: .*approval/);
    const log = (await readFile(join(sys, 'log'), 'utf8')).trim().split('\n');
    expect(log).to.deep.equal(['inject a', 'revert a', 'rollback']);
    const journal = await readJournalDoc(result.journalPath);
    const rollback = journal.entries.find((e) => e.kind === 'activity' && e.data.section === 'rollbacks');
    expect(rollback?.data.status).to.equal('succeeded');
  });
});

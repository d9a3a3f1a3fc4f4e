/**
 * A failed revert blocks every later run against that target, in whatever process it starts (issue 13, defect 1):
 * a scheduler, a game day with `stopOn: never` and two API calls all run experiments one after another in one
 * process, whose PID is alive, so "the run's process is gone" cannot be what makes an entry block.
 */
import { expect } from 'chai';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readLedgerRuns } from '../../src/state/ledger.js';
import { recover } from '../../src/engine/recover.js';
import { runExperiment } from '../../src/engine/run.js';
import { loadExperimentText } from '../../src/experiment/load.js';
import { loadPlan } from '../../src/gameday/load-plan.js';
import { runGameday } from '../../src/gameday/run-gameday.js';
import { builtinPlugins, createRegistry } from '../../src/plugins/registry.js';
import { tempDir } from '../support/cli.js';
import { stubbornPlugin } from '../support/stubborn-plugin.js';

const registry = createRegistry([...builtinPlugins(), stubbornPlugin]);
const quiet = { debug() {}, info() {}, warn() {} };

describe('a target whose revert failed blocks later runs in the same process', function () {
  this.timeout(30_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let sys: string;
  let stateDir: string;
  const invocation = () => ({ argv: ['test'], cwd: dir.path, user: 'test', host: 'test', pid: process.pid, version: 'test' });

  beforeEach(async () => {
    dir = await tempDir();
    sys = join(dir.path, 'sys');
    stateDir = join(dir.path, 'state');
  });
  afterEach(() => dir.cleanup());

  const experiment = (name: string, flag: string, extra = '') => `version: 1
name: ${name}
targets:
  sys: { type: stubborn, dir: "${sys}" }
method:
  - fault: { type: stubborn.flag, target: sys, flag: ${flag}${extra} }
`;

  async function run(name: string, flag: string, extra = '') {
    const loaded = await loadExperimentText(experiment(name, flag, extra), `${name}.yaml`, { registry });
    return runExperiment(loaded, { registry, stateDir, runDir: join(dir.path, `run-${name}`), invocation: invocation() });
  }

  const systemLog = async () => (await readFile(join(sys, 'log'), 'utf8').catch(() => '')).trim().split('\n').filter(Boolean);

  it('refuses a second runExperiment against the still-faulted target (exit 5) and injects nothing', async () => {
    await writeFile(join(dir.path, 'blocker'), '');
    const first = await run('first', 'a', ', revertBlockedBy: ../blocker');
    expect(first.exitCode, first.reason).to.equal(4);

    const second = await run('second', 'b');
    expect(second.exitCode, second.reason).to.equal(5);
    expect(second.reason).to.contain('E_UNRECOVERED_FAULTS').and.contain('stubborn.flag');
    expect(await systemLog()).to.deep.equal(['inject a']);
  });

  it('lets chaos recover revert what a finished run left behind, although that run\'s process still runs', async () => {
    await writeFile(join(dir.path, 'blocker'), '');
    const first = await run('first', 'a', ', revertBlockedBy: ../blocker');
    expect(first.exitCode, first.reason).to.equal(4);
    await rm(join(dir.path, 'blocker'));

    const report = await recover({ stateDir, registry, env: {}, logger: quiet });
    expect(report.runsSkipped).to.deep.equal([]);
    expect(report.actions.map((a) => `${a.type}: ${a.outcome}`)).to.deep.equal(['stubborn.flag: reverted']);
    expect(await systemLog()).to.deep.equal(['inject a', 'revert a']);
    const [ledger] = await readLedgerRuns(stateDir);
    expect(ledger?.entries.map((e) => e.status)).to.deep.equal(['reverted']);

    const next = await run('next', 'b');
    expect(next.exitCode, next.reason).to.equal(0);
  });

  it('does not let the next experiment of a game day (stopOn: never) inject into the target the previous one left faulted', async () => {
    await writeFile(join(dir.path, 'blocker'), '');
    await writeFile(join(dir.path, 'stuck.yaml'), experiment('stuck', 'a', ', revertBlockedBy: ../blocker'));
    await writeFile(join(dir.path, 'next.yaml'), experiment('next', 'b'));
    await writeFile(
      join(dir.path, 'plan.yaml'),
      `version: 1
name: nightly
title: Two drills on one system
stopOn: never
experiments:
  - { path: stuck.yaml }
  - { path: next.yaml }
`,
    );
    const plan = await loadPlan('plan.yaml', { registry, env: {}, cwd: dir.path });
    const result = await runGameday(plan, { registry, stateDir, dir: join(dir.path, 'gameday'), invocation: invocation() });
    expect(result.experiments.map((e) => e.exitCode)).to.deep.equal([4, 5]);
    expect(result.experiments[1]?.reason).to.contain('E_UNRECOVERED_FAULTS');
    expect(await systemLog()).to.deep.equal(['inject a']);
  });
});

/**
 * The crash torture test in `npm test`: 30 trials, two at a time (`npm run torture -- --trials N` runs more).
 * Set CHAOS_TORTURE_SEED to replay a run; the seed is printed either way.
 */
import { expect } from 'chai';
import { startEnvironment, type TortureEnvironment } from './environment.js';
import { SCENARIOS } from './scenarios/index.js';
import { describeSummary, runTorture } from './torture-run.js';

const TRIALS = 30;

describe('crash torture: kill -9 at random instants, then chaos recover', function () {
  // Generous: a trial starts two node processes (the run and recover), slow on a loaded machine.
  this.timeout(20 * 60_000);
  let env: TortureEnvironment;
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);

  before(async () => {
    env = await startEnvironment(log);
  });
  after(async () => {
    await env?.stop();
  });

  it(`leaves nothing behind in ${TRIALS} trials over every scenario`, async () => {
    const seed = Number(process.env['CHAOS_TORTURE_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
    const summary = await runTorture({ env, scenarios: SCENARIOS, trials: TRIALS, seed, parallel: 2, log });
    const report = describeSummary(summary);
    process.stdout.write(`      ${report.slice(0, 2).join('\n      ')}\n`);
    expect(summary.failed.length, [...lines, ...report].join('\n')).to.equal(0);
  });
});

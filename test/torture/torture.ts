/**
 * `npm run torture -- --trials N [--seed S] [--parallel P] [--scenario NAME]... [--replay TRIAL_SEED]`: the crash
 * torture test. Each trial starts a real run, kills it with kill -9 at a random instant, runs `chaos recover`, and
 * checks from the outside that nothing is left. Prints the seed, one line per trial, and the figures; exits 1 when
 * any trial left something behind. `--skip-recover` checks the checks: trials killed with a fault in place must
 * then fail.
 */
import { parseArgs } from 'node:util';
import { startEnvironment } from './environment.js';
import { SCENARIOS } from './scenarios/index.js';
import { describeSummary, runTorture } from './torture-run.js';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '30' },
    seed: { type: 'string' },
    parallel: { type: 'string', default: '2' },
    scenario: { type: 'string', multiple: true },
    replay: { type: 'string' },
    'skip-recover': { type: 'boolean', default: false },
  },
});
const trials = Number(values.trials);
const parallel = Number(values.parallel);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
if (!Number.isInteger(trials) || trials < 1 || !Number.isInteger(parallel) || parallel < 1 || !Number.isInteger(seed)) {
  process.stderr.write('usage: npm run torture -- --trials N [--seed S] [--parallel P] [--scenario NAME]... [--replay TRIAL_SEED]\n');
  process.exit(2);
}
const names = values.scenario ?? [];
const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
if (unknown.length > 0) {
  process.stderr.write(`unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}\n`);
  process.exit(2);
}
const log = (line: string) => process.stdout.write(`${line}\n`);
log(`torture: seed ${seed}, ${values.replay === undefined ? `${trials} trials` : `replaying trial seed ${values.replay}`}, ${parallel} at a time`);
const env = await startEnvironment(log);
let failed = 0;
try {
  const summary = await runTorture({
    env,
    scenarios: names.length === 0 ? SCENARIOS : SCENARIOS.filter((s) => names.includes(s.name)),
    trials,
    seed,
    parallel,
    ...(values.replay === undefined ? {} : { replay: Number(values.replay) }),
    skipRecover: values['skip-recover'],
    log,
  });
  for (const line of describeSummary(summary)) log(line);
  failed = summary.failed.length;
} finally {
  await env.stop();
}
process.exitCode = failed > 0 ? 1 : 0;

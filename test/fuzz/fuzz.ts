/**
 * `npm run fuzz -- [--runs N] [--seed S] [--binary-every K]`: mutates every experiment and plan in the repository
 * and every invalid fixture, and checks that `chaos validate` ends with 0 or 2 (no stack trace, no internal error,
 * within 1 s) and that `chaos run` of a file that does not validate exits 2 and contacts nothing. Prints the seed
 * first (rerun a session with the same --seed), then the counts; exits 1 when anything was found. The files of
 * the violating cases are saved under reports/fuzz/<seed>/.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../support/cli.js';
import { describeFinding, fuzz } from './run-fuzz.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000' },
    seed: { type: 'string' },
    'binary-every': { type: 'string', default: '50' },
  },
});
const runs = Number(values.runs);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const binaryEvery = Number(values['binary-every']);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed) || !Number.isInteger(binaryEvery) || binaryEvery < 0) {
  process.stderr.write('usage: npm run fuzz -- [--runs N] [--seed S] [--binary-every K]   (whole numbers)\n');
  process.exit(2);
}

process.stdout.write(`fuzz: seed ${seed}, ${runs} runs (${binaryEvery > 0 ? `every ${binaryEvery}th through the binary` : 'all in-process'})\n`);
const findingsDir = join(ROOT, 'reports', 'fuzz', String(seed));
const report = await fuzz({
  runs,
  seed,
  binaryEvery,
  findingsDir,
  onProgress: (done) => {
    if (done > 0 && done % 100 === 0) process.stdout.write(`  ${done}/${runs}\n`);
  },
});
for (const finding of report.findings) process.stdout.write(`${describeFinding(finding)}\n`);
process.stdout.write(
  `fuzz: seed ${report.seed}: ${report.runs} runs from ${report.seeds} seed files in ${(report.ms / 1000).toFixed(1)} s; ` +
    `validate: ${report.valid} valid, ${report.invalid} invalid (slowest in-process ${report.slowestValidateMs} ms of CPU, case ${report.slowestCase?.case} from ${report.slowestCase?.seedFile}); ` +
    `run checked on ${report.runChecked}; ${report.viaBinary} through the binary; ${report.findings.length} finding(s)` +
    `${report.findings.length > 0 ? ` (saved in ${findingsDir})` : ''}\n`,
);
process.exitCode = report.findings.length > 0 ? 1 : 0;

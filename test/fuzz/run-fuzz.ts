/**
 * One fuzzing session: `runs` cases drawn by fast-check from `seed` (the same seed gives the same cases), each
 * checked against the properties in ./properties.ts. Every case is checked and every violation kept (no stop at
 * the first), with the mutated file saved for a fixture.
 */
import fc from 'fast-check';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fuzzCase, render, type FuzzCase } from './mutations.js';
import { BINARY_BUDGET_MS, chaosBinary, chaosInProcess, ContactGuard, runFolder, VALIDATE_BUDGET_MS, violation, type Outcome } from './properties.js';
import { loadSeeds, prepareScratch } from './seeds.js';

/** A run of an invalid file does a little more than validate (flags, the run command's set-up): twice the budget. */
const RUN_BUDGET_MS = 2 * VALIDATE_BUDGET_MS;

export interface FuzzOptions {
  runs: number;
  seed: number;
  /** Every Nth case goes through the real binary instead of the CLI in-process (0: none). */
  binaryEvery: number;
  /** Where the files of violating cases are saved (kept after the session). */
  findingsDir: string;
  /** Called before each case with the number of cases done. */
  onProgress?: (done: number) => void;
}

export interface Finding {
  case: number;
  seedFile: string;
  command: 'validate' | 'run';
  via: 'in-process' | 'binary';
  violation: string;
  /** The mutated file, saved under findingsDir. */
  file: string;
  output: string;
  mutations: FuzzCase;
}

export interface FuzzReport {
  runs: number;
  seed: number;
  ms: number;
  seeds: number;
  /** Validate exit codes seen. */
  valid: number;
  invalid: number;
  /** Cases whose file was also given to `chaos run` (it did not validate, or it is a plan). */
  runChecked: number;
  viaBinary: number;
  /** CPU time of the slowest in-process validate. */
  slowestValidateMs: number;
  /** The case that took slowestValidateMs, to look into. */
  slowestCase: { case: number; seedFile: string } | null;
  findings: Finding[];
}

export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const seeds = await loadSeeds();
  const cases = fc.sample(fuzzCase(seeds), { seed: options.seed, numRuns: options.runs });
  const scratch = await mkdtemp(join(tmpdir(), 'chaos-fuzz-'));
  const guard = new ContactGuard();
  const report: FuzzReport = {
    runs: cases.length, seed: options.seed, ms: 0, seeds: seeds.length, valid: 0, invalid: 0, runChecked: 0, viaBinary: 0, slowestValidateMs: 0, slowestCase: null, findings: [],
  };
  try {
    await prepareScratch(scratch);
    for (const [n, c] of cases.entries()) {
      options.onProgress?.(n);
      const seed = seeds[c.seed]!;
      const text = render(seed, c);
      // Next to the seed, so that relative paths in it (a plan's experiments, a secret file) mean the same.
      const file = join(scratch, dirname(seed.path), `fuzz-${n}-${basename(seed.path)}`);
      await writeFile(file, text);
      const binary = options.binaryEvery > 0 && n % options.binaryEvery === 0;
      if (binary) report.viaBinary++;
      const record = async (command: 'validate' | 'run', outcome: Outcome, budgetMs: number, extra: string[] = []) => {
        const why = violation(outcome, command, budgetMs) ?? (extra.length > 0 ? `left ${extra.join(', ')} behind` : null);
        if (why === null) return;
        await mkdir(options.findingsDir, { recursive: true });
        const saved = join(options.findingsDir, `case-${n}-${command}-${basename(seed.path)}`);
        await writeFile(saved, text);
        report.findings.push({ case: n, seedFile: seed.path, command, via: binary ? 'binary' : 'in-process', violation: why, file: saved, output: `${outcome.stdout}${outcome.stderr}`.slice(0, 4000), mutations: c });
      };

      let validated = binary
        ? await chaosBinary(['validate', file], scratch, join(scratch, `contacts-${n}-validate`))
        : await chaosInProcess(guard, ['validate', file], scratch);
      // Over budget once can be a full GC landing on this case (the mean is ~20 ms); a slow file is slow again.
      if (!binary && (validated.cpuMs ?? 0) > VALIDATE_BUDGET_MS) validated = await chaosInProcess(guard, ['validate', file], scratch);
      if (validated.code === 0) report.valid++;
      else report.invalid++;
      if (!binary && (validated.cpuMs ?? 0) > report.slowestValidateMs) {
        report.slowestValidateMs = validated.cpuMs ?? 0;
        report.slowestCase = { case: n, seedFile: seed.path };
      }
      await record('validate', validated, binary ? BINARY_BUDGET_MS : VALIDATE_BUDGET_MS);

      // A valid experiment may contact its targets when run; everything else must not.
      if (validated.code === 0 && seed.kind === 'experiment') continue;
      if (validated.code !== 0 && validated.code !== 2) continue;
      report.runChecked++;
      const folder = await runFolder(scratch, n);
      const args = ['run', file, '--state-dir', 'state', '-o', 'run'];
      let ran = binary
        ? await chaosBinary(args, folder.dir, join(scratch, `contacts-${n}-run`))
        : await chaosInProcess(guard, args, folder.dir);
      if (!binary && (ran.cpuMs ?? 0) > RUN_BUDGET_MS) {
        const again = await chaosInProcess(guard, args, folder.dir);
        ran = { ...again, contacts: [...ran.contacts, ...again.contacts] };
      }
      await record('run', ran, binary ? BINARY_BUDGET_MS : RUN_BUDGET_MS, await folder.leftovers());
    }
  } finally {
    guard.close();
    await rm(scratch, { recursive: true, force: true });
  }
  report.ms = Math.round(performance.now() - started);
  return report;
}

/** One line per finding, for people. */
export function describeFinding(f: Finding): string {
  return `case ${f.case} (${f.via} ${f.command}, seed file ${f.seedFile}): ${f.violation}\n  file: ${f.file}\n  ${f.output.split('\n').slice(0, 6).join('\n  ')}`;
}

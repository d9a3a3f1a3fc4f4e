/**
 * Runs N torture trials, `parallel` at a time (trials of one exclusive group one at a time), and sums them up.
 */
import type { TortureEnvironment } from './environment.js';
import { seededRandom, trialSeed } from './random.js';
import type { Scenario } from './scenario.js';
import { runTrial, type TrialResult } from './trial.js';

export interface TortureOptions {
  env: TortureEnvironment;
  scenarios: readonly Scenario[];
  trials: number;
  seed: number;
  parallel: number;
  /** Replays one trial from its seed instead of deriving N from `seed`. */
  replay?: number;
  /** Skips `chaos recover`, to check the checks. */
  skipRecover?: boolean;
  log: (line: string) => void;
}

export interface TortureSummary {
  trials: number;
  seed: number;
  results: TrialResult[];
  /** Trials that left something behind. */
  failed: TrialResult[];
  skipped: string[];
  durationMs: number;
}

/** The scenario of a trial, from its seed alone (so a replay runs the same one). */
export function scenarioOf(seed: number, scenarios: readonly Scenario[]): Scenario {
  return seededRandom(seed ^ 0x5bd1e995).pick(scenarios);
}

export async function runTorture(options: TortureOptions): Promise<TortureSummary> {
  const started = Date.now();
  const skipped: string[] = [];
  const available = options.scenarios.filter((s) => {
    const why = s.unavailable(options.env);
    if (why !== null) skipped.push(`${s.name}: ${why}`);
    return why === null;
  });
  if (available.length === 0) throw new Error(`no scenario can run here: ${skipped.join('; ')}`);
  const seeds = options.replay !== undefined ? [options.replay] : Array.from({ length: options.trials }, (_, i) => trialSeed(options.seed, i));
  const exclusive = new Map<string, Promise<void>>();
  const results: TrialResult[] = [];
  let next = 0;

  const worker = async () => {
    while (next < seeds.length) {
      const index = next++;
      const seed = seeds[index]!;
      const scenario = scenarioOf(seed, available);
      const group = scenario.exclusiveGroup;
      // Chain onto the group's last trial: one at a time, in order.
      const before = group === undefined ? Promise.resolve() : (exclusive.get(group) ?? Promise.resolve());
      let release: () => void = () => undefined;
      if (group !== undefined) exclusive.set(group, new Promise<void>((resolve) => (release = resolve)));
      await before;
      let result: TrialResult;
      try {
        result = await runTrial(scenario, options.env, index, seed, options.skipRecover ?? false);
      } catch (error) {
        result = { index, seed, scenario: scenario.name, killedAfterMs: null, runExit: null, left: [`the trial itself failed: ${(error as Error).stack ?? String(error)}`], recovered: 0, durationMs: 0, output: '' };
      } finally {
        release();
      }
      results.push(result);
      const how = result.killedAfterMs === null ? `ended by itself (exit ${result.runExit})` : `kill -9 after ${result.killedAfterMs} ms`;
      options.log(`trial ${index + 1}/${seeds.length} ${scenario.name} (seed ${seed}): ${how}, ${result.recovered} recovered, ${result.left.length === 0 ? 'nothing left' : `LEFT ${result.left.length}: ${result.left.join('; ')}`} [${(result.durationMs / 1000).toFixed(1)} s]`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.parallel) }, worker));
  results.sort((a, b) => a.index - b.index);
  return { trials: results.length, seed: options.seed, results, failed: results.filter((r) => r.left.length > 0), skipped, durationMs: Date.now() - started };
}

/** The closing lines: the figures, and for each trial that left something, what and how to replay it. */
export function describeSummary(summary: TortureSummary): string[] {
  const lines = [
    `torture: ${summary.trials} trials (seed ${summary.seed}), ${summary.failed.length} left something behind; ` +
      `${(summary.durationMs / 1000).toFixed(0)} s in all, ${(summary.durationMs / Math.max(1, summary.trials) / 1000).toFixed(1)} s per trial`,
  ];
  const byScenario = new Map<string, { runs: number; killed: number; recovered: number }>();
  for (const r of summary.results) {
    const entry = byScenario.get(r.scenario) ?? { runs: 0, killed: 0, recovered: 0 };
    entry.runs++;
    if (r.killedAfterMs !== null) entry.killed++;
    entry.recovered += r.recovered;
    byScenario.set(r.scenario, entry);
  }
  lines.push(`  by scenario (trials, killed, ledger entries recover had to undo): ${[...byScenario].map(([name, c]) => `${name} ${c.runs}/${c.killed}/${c.recovered}`).join(', ')}`);
  for (const skip of summary.skipped) lines.push(`  skipped: ${skip}`);
  for (const r of summary.failed) {
    lines.push(`  trial ${r.index + 1} (${r.scenario}, replay with --replay ${r.seed}) left: ${r.left.join('; ')}`);
    lines.push(...r.output.trimEnd().split('\n').slice(-30).map((l) => `    | ${l}`));
  }
  return lines;
}

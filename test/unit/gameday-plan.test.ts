/**
 * The game-day plan format: the committed JSON Schema is what the zod schema generates, the shipped plan loads with
 * every experiment it names, blackout windows (recurring in a time zone, and absolute), the exit-code severity
 * order and the resilience score.
 */
import { expect } from 'chai';
import { formatJsonSchema } from '../../src/experiment/json-schema-for-editors.js';
import { join } from 'node:path';
import { ExitCode } from '../../src/errors.js';
import { activeBlackout } from '../../src/gameday/blackout.js';
import { loadPlan } from '../../src/gameday/load-plan.js';
import { resilienceScore, worstExitCode, type ExperimentOutcome } from '../../src/gameday/gameday-result.js';
import { gamedayJsonSchema, gamedayPlanSchema } from '../../src/gameday/plan-schema.js';
import { createRegistry } from '../../src/plugins/registry.js';
import { ROOT } from '../support/cli.js';
import { expectCommittedFileIsFresh } from '../support/generated-files.js';

describe('game-day plans', () => {
  it('the committed schema/gameday.schema.json is what the zod schema generates (run `npm run schema:gameday` when this fails)', async () => {
    const generated = formatJsonSchema(gamedayJsonSchema());
    await expectCommittedFileIsFresh(join(ROOT, 'schema/gameday.schema.json'), generated, 'npm run build && npm run schema:gameday');
  });

  it('loads scenarios/weekly-gameday.yaml and every lab experiment it names', async () => {
    const loaded = await loadPlan('scenarios/weekly-gameday.yaml', { registry: createRegistry(), env: {}, cwd: ROOT });
    expect(loaded.runs.map((r) => [r.name, r.file, r.entry.weight])).to.deep.equal([
      ['region-failover', 'experiments/region-failover.yaml', 3],
      ['network-partition', 'experiments/network-partition.yaml', 2],
      ['latency-injection', 'experiments/latency-injection.yaml', 1],
      ['process-pause', 'experiments/process-pause.yaml', 1],
    ]);
    expect(loaded.plan.stopOn).to.equal('first-failure');
    expect(loaded.runs[3]!.loaded.experiment.targets['orders']!.rawConfig).to.deep.include({ env: { PORT: '18090' } });
  });

  describe('blackout windows', () => {
    const plan = (blackouts: unknown[]) =>
      gamedayPlanSchema.parse({ version: 1, name: 'p', title: 'p', experiments: [{ path: 'x.yaml' }], blackouts }).blackouts;

    it('a recurring window opens at each cron occurrence in its time zone and lasts its duration', () => {
      // Fridays 16:00 Berlin for 64 h: Friday 2026-11-27 15:00Z → Monday 2026-11-30 07:00Z (CET is UTC+1).
      const windows = plan([{ name: 'weekend', cron: '0 16 * * 5', duration: '64h', timezone: 'Europe/Berlin' }]);
      expect(activeBlackout(windows, new Date('2026-11-27T14:59:59Z'))).to.equal(null);
      const inside = activeBlackout(windows, new Date('2026-11-29T12:00:00Z'));
      expect(inside?.from.toISOString()).to.equal('2026-11-27T15:00:00.000Z');
      expect(inside?.to.toISOString()).to.equal('2026-11-30T07:00:00.000Z');
      expect(activeBlackout(windows, new Date('2026-11-30T07:00:00Z'))).to.equal(null);
    });

    it('an absolute window is from ≤ t < to', () => {
      const windows = plan([{ name: 'year end', from: '2026-12-21T00:00:00+01:00', to: '2027-01-04T00:00:00+01:00' }]);
      expect(activeBlackout(windows, new Date('2026-12-20T22:59:59Z'))).to.equal(null);
      expect(activeBlackout(windows, new Date('2026-12-20T23:00:00Z'))?.name).to.equal('year end');
      expect(activeBlackout(windows, new Date('2027-01-03T23:00:00Z'))).to.equal(null);
    });

    it('a window that mixes both forms, or lacks half of one, is invalid', () => {
      expect(gamedayPlanSchema.safeParse({ version: 1, name: 'p', title: 'p', experiments: [{ path: 'x' }], blackouts: [{ name: 'b', cron: '0 1 * * *' }] }).success).to.equal(false);
      expect(gamedayPlanSchema.safeParse({ version: 1, name: 'p', title: 'p', experiments: [{ path: 'x' }], blackouts: [{ name: 'b', cron: '0 1 * * *', duration: '1h', from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' }] }).success).to.equal(false);
    });
  });

  it('the worst exit code is the most severe, not the largest: 4 > 1 > 3 > 5 > 0, runs not run ignored', () => {
    expect(worstExitCode([ExitCode.Ok, ExitCode.Infrastructure, ExitCode.Failed])).to.equal(ExitCode.Failed);
    expect(worstExitCode([ExitCode.Failed, ExitCode.RevertFailed])).to.equal(ExitCode.RevertFailed);
    expect(worstExitCode([ExitCode.Infrastructure, ExitCode.Aborted])).to.equal(ExitCode.Aborted);
    expect(worstExitCode([ExitCode.Ok, null, null])).to.equal(ExitCode.Ok);
  });

  it('the resilience score is the weighted share of objectives met; a run not run scores 0', () => {
    const outcome = (name: string, weight: number, verdict: ExperimentOutcome['verdict'], passed: boolean[]): ExperimentOutcome => ({
      name, title: name, file: `${name}.yaml`, weight, verdict, exitCode: null, reason: '', startedAt: null, endedAt: null, durationMs: null, runDir: null,
      objectives: passed.map((p, i) => ({ name: `o${i}`, kind: 'slo', passed: p, value: null, unit: 'ratio', threshold: null, uncertainty: null, message: '', evidence: null })),
    });
    const score = resilienceScore([
      outcome('a', 3, 'failed', [true, false]), // 3 × 1/2
      outcome('b', 1, 'passed', []), // no objectives: its verdict, 1 × 1/1
      outcome('c', 2, 'not-run', []), // 2 × 0/1
    ]);
    expect(score.value).to.be.closeTo((1.5 + 1 + 0) / 6, 1e-12);
    expect(score.formula).to.equal('(3×1/2 + 1×1/1 + 2×0/1) / 6 = 41.7%');
  });
});

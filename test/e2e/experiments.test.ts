/**
 * Every experiment in experiments/ runs through the built `chaos` binary from the repository root with its
 * expected exit code (those under experiments/failing/ are meant to exit 1) and leaves no lab process behind
 * (checked by pid and start time from the lab's own event log). For the failover, the backup/restore and the
 * deploy drills, the measured figures are compared with the lab's ground truth in the same run.
 */
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readEventLog, type LabEvent } from '../../src/lab/event-log.js';
import { journalIn, readJournalDoc, ROOT, runChaos, stopAllChaos, tempDir, type JournalDoc } from '../support/cli.js';
import { expectDeployThenRollback, expectFailoverMatchesGroundTruth, expectRestoreMatchesGroundTruth } from '../support/lab-ground-truth.js';
import { aliveOf, killLabProcesses, labProcessesIn } from '../support/lab-processes.js';

const files = [
  ...readdirSync(join(ROOT, 'experiments')).filter((f) => f.endsWith('.yaml')).map((f) => ({ file: `experiments/${f}`, exit: 0 })),
  ...readdirSync(join(ROOT, 'experiments/failing')).filter((f) => f.endsWith('.yaml')).map((f) => ({ file: `experiments/failing/${f}`, exit: 1 })),
];

/** Ground-truth checks for some experiments, run on the same run's journal and lab event log. */
const groundTruth: Record<string, (journal: JournalDoc, events: LabEvent[]) => void> = {
  'experiments/region-failover.yaml': expectFailoverMatchesGroundTruth,
  'experiments/backup-restore.yaml': expectRestoreMatchesGroundTruth,
  'experiments/deploy-rollback.yaml': (_journal, events) => expectDeployThenRollback(events),
};

describe('the ready-to-run experiments (the built binary, from the repository root)', function () {
  this.timeout(90_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let events: string;

  beforeEach(async () => {
    dir = await tempDir();
    events = join(dir.path, 'run', 'lab-lab', 'events.jsonl');
  });
  afterEach(async () => {
    await stopAllChaos();
    killLabProcesses(events);
    await dir.cleanup();
  });

  for (const { file, exit } of files) {
    const extra = groundTruth[file] ? ', and its measurements agree with the lab’s ground truth' : '';
    it(`${file} exits ${exit} and leaves no lab process behind${extra}`, async () => {
      const run = join(dir.path, 'run');
      const out = await runChaos(['run', file, '--state-dir', join(dir.path, 'state'), '-o', run], { cwd: ROOT, timeoutMs: 80_000 });
      expect(out.code, out.stdout + out.stderr).to.equal(exit);
      const log = readEventLog(events);
      if (log.length > 0) {
        expect(log.at(-1)!.event).to.equal('lab-stopped');
        expect(labProcessesIn(events)).to.have.length.of.at.least(5);
        expect(aliveOf(labProcessesIn(events)), 'lab processes still running').to.deep.equal([]);
      }
      groundTruth[file]?.(await readJournalDoc(journalIn(run)), log);
    });
  }
});

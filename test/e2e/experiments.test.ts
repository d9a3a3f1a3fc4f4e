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
import { aliveOf, killLabProcesses, labProcessesIn } from '../support/lab-processes.js';

const files = [
  ...readdirSync(join(ROOT, 'experiments')).filter((f) => f.endsWith('.yaml')).map((f) => ({ file: `experiments/${f}`, exit: 0 })),
  ...readdirSync(join(ROOT, 'experiments/failing')).filter((f) => f.endsWith('.yaml')).map((f) => ({ file: `experiments/failing/${f}`, exit: 1 })),
];

interface Objective {
  kind: string;
  value: number;
  evidence: any;
}

function objectivesOf(journal: JournalDoc): Objective[] {
  return journal.entries.find((e) => e.kind === 'objectives')!.data as Objective[];
}

function eventAt(events: LabEvent[], name: string): LabEvent {
  const event = events.find((e) => e.event === name);
  expect(event, `the lab logged "${name}"`).to.not.equal(undefined);
  return event!;
}

/** Ground-truth checks for some experiments, run on the same run's journal and lab event log. */
const groundTruth: Record<string, (journal: JournalDoc, events: LabEvent[]) => void> = {
  'experiments/region-failover.yaml': (journal, events) => {
    const rto = objectivesOf(journal).find((o) => o.kind === 'rto')!;
    const rpo = objectivesOf(journal).find((o) => o.kind === 'rpo')!;
    // RTO's t0 is when the runner had the fault injected (after the lab cut the region and the ledger was synced),
    // so the true RTO runs from t0 to the first request the promoted region served. The probe runs every 100 ms:
    // the measured recovery is up to one interval later (plus scheduling slack), or a few ms earlier (a probe sent
    // just before the promotion can be routed after it).
    const t0 = Date.parse(rto.evidence.t0);
    expect(t0 - eventAt(events, 'region-outage').at, 'the outage happened before t0, and shortly').to.be.within(0, 500);
    const trueRto = eventAt(events, 'first-request-served').at - t0;
    expect(rto.value).to.be.within(trueRto - 50, trueRto + 100 + 50);

    // Ground-truth RPO: the writes the old primary had not shipped when the standby was promoted.
    const stopped = eventAt(events, 'replication-stopped') as LabEvent & { lastReplicated: { createdAt: number }; unreplicated: { count: number; newest: { createdAt: number } } };
    expect(stopped.unreplicated.count).to.be.greaterThan(0);
    expect(rpo.evidence.lost).to.equal(stopped.unreplicated.count);
    const trueRpo = stopped.unreplicated.newest.createdAt - stopped.lastReplicated.createdAt;
    // One writer interval (50 ms): commit times in the lab vs acknowledgement times at the writer.
    expect(rpo.value).to.be.within(trueRpo - 50, trueRpo + 50);
  },
  'experiments/backup-restore.yaml': (journal, events) => {
    const rto = objectivesOf(journal).find((o) => o.kind === 'rto')!;
    const rpo = objectivesOf(journal).find((o) => o.kind === 'rpo')!;
    const restored = eventAt(events, 'restored') as LabEvent & { startedAt: number; durationMs: number };
    // The data answers again when the restore committed; the probe sees it within one interval (100 ms).
    const trueRto = restored.at - Date.parse(rto.evidence.t0);
    expect(rto.value).to.be.within(trueRto - 50, trueRto + 100 + 50);
    // Lost: everything committed after the backup's newest row up to the restore. The newest survivor and the
    // newest lost write are each placed to one writer interval (50 ms), so two intervals in all.
    const backup = eventAt(events, 'backup') as LabEvent & { newest: { createdAt: number } };
    const trueRpo = restored.startedAt - backup.newest.createdAt;
    expect(rpo.evidence.lost).to.be.greaterThan(0);
    expect(rpo.value).to.be.within(trueRpo - 100, trueRpo + 100);
  },
  'experiments/deploy-rollback.yaml': (_journal, events) => {
    const completed = eventAt(events, 'deploy-completed') as LabEvent & { version: string; instances: string[] };
    expect(completed.version).to.equal('2.0.0');
    expect(completed.instances).to.have.length(4);
    const failed = eventAt(events, 'canary-failed') as LabEvent & { version: string };
    expect(failed.version).to.equal('2.1.0');
    const rolledBack = events.filter((e) => e.event === 'rolled-back').at(-1) as LabEvent & { to: string; rollbackMs: number };
    expect(rolledBack.to).to.equal('2.0.0');
    expect(rolledBack.at - failed.at).to.be.below(5_000);
  },
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

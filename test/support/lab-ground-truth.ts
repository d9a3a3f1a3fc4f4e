/**
 * Checks of a lab drill's measurements against the lab's own ground-truth events, shared by the embedded lab's
 * experiments (test/e2e/experiments.test.ts) and the distributed one's (test/e2e/lab-distributed.test.ts): the same
 * drill must agree with what really happened, whichever way the lab runs.
 */
import { expect } from 'chai';
import type { LabEvent } from '../../src/lab/event-log.js';
import type { JournalDoc } from './cli.js';

export interface Objective {
  kind: string;
  value: number;
  evidence: any;
}

export function objectivesOf(journal: JournalDoc): Objective[] {
  return journal.entries.find((e) => e.kind === 'objectives')!.data as Objective[];
}

export function eventAt(events: LabEvent[], name: string): LabEvent {
  const event = events.find((e) => e.event === name);
  expect(event, `the lab logged "${name}"`).to.not.equal(undefined);
  return event!;
}

function rtoAndRpo(journal: JournalDoc): { rto: Objective; rpo: Objective } {
  const objectives = objectivesOf(journal);
  return { rto: objectives.find((o) => o.kind === 'rto')!, rpo: objectives.find((o) => o.kind === 'rpo')! };
}

/** A region failover: RTO to the first request the promoted region served, RPO the writes never shipped. */
export function expectFailoverMatchesGroundTruth(journal: JournalDoc, events: LabEvent[]): void {
  const { rto, rpo } = rtoAndRpo(journal);
  // RTO's t0 is when the runner had the fault injected (after the lab cut the region and the ledger was synced),
  // so the true RTO runs from t0 to the first request the promoted region served. The probe runs every 100 ms:
  // the measured recovery is up to one interval later (plus scheduling slack), or a few ms earlier (a probe sent
  // just before the promotion can be routed after it).
  const t0 = Date.parse(rto.evidence.t0);
  expect(t0 - eventAt(events, 'region-outage').at, 'the outage happened before t0, and shortly').to.be.within(0, 500);
  const trueRto = eventAt(events, 'first-request-served').at - t0;
  expect(rto.value).to.be.within(trueRto - 50, trueRto + 100 + 50);

  // Ground-truth RPO: the writes the old primary had not shipped when the standby was promoted.
  const stopped = eventAt(events, 'replication-stopped') as LabEvent & {
    lastReplicated: { createdAt: number };
    unreplicated: { count: number; newest: { createdAt: number } };
  };
  expect(stopped.unreplicated.count).to.be.greaterThan(0);
  expect(rpo.evidence.lost).to.equal(stopped.unreplicated.count);
  const trueRpo = stopped.unreplicated.newest.createdAt - stopped.lastReplicated.createdAt;
  // One writer interval (50 ms): commit times in the lab vs acknowledgement times at the writer.
  expect(rpo.value).to.be.within(trueRpo - 50, trueRpo + 50);
}

/** A backup restore: RTO to the restore's commit, RPO everything committed after the backup's newest row. */
export function expectRestoreMatchesGroundTruth(journal: JournalDoc, events: LabEvent[]): void {
  const { rto, rpo } = rtoAndRpo(journal);
  const restored = eventAt(events, 'restored') as LabEvent & { startedAt: number };
  // The data answers again when the restore committed; the probe sees it within one interval (100 ms).
  const trueRto = restored.at - Date.parse(rto.evidence.t0);
  expect(rto.value).to.be.within(trueRto - 50, trueRto + 100 + 50);
  // Lost: everything committed after the backup's newest row up to the restore. The newest survivor and the
  // newest lost write are each placed to one writer interval (50 ms), so two intervals in all.
  const backup = eventAt(events, 'backup') as LabEvent & { newest: { createdAt: number } };
  const trueRpo = restored.startedAt - backup.newest.createdAt;
  expect(rpo.evidence.lost).to.be.greaterThan(0);
  expect(rpo.value).to.be.within(trueRpo - 100, trueRpo + 100);
}

/** A rolling deploy to 2.0.0 on all four instances, then a bad 2.1.0 canary rolled back within 5 s. */
export function expectDeployThenRollback(events: LabEvent[]): void {
  const completed = eventAt(events, 'deploy-completed') as LabEvent & { version: string; instances: string[] };
  expect(completed.version).to.equal('2.0.0');
  expect(completed.instances).to.have.length(4);
  const failed = eventAt(events, 'canary-failed') as LabEvent & { version: string };
  expect(failed.version).to.equal('2.1.0');
  const rolledBack = events.filter((e) => e.event === 'rolled-back').at(-1) as LabEvent & { to: string };
  expect(rolledBack.to).to.equal('2.0.0');
  expect(rolledBack.at - failed.at).to.be.below(5_000);
}

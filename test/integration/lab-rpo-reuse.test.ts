/**
 * The RPO writer against a store that outlives runs (a lab kept up by `chaos lab up`): each run's record ids are
 * its own, so a second run never "finds" an earlier run's record and hides a lost write behind it.
 */
import { expect } from 'chai';
import { RpoWriteLog } from '../../src/engine/observers/rpo-write-log.js';
import type { RpoObjective } from '../../src/experiment/types.js';
import { createRegistry } from '../../src/plugins/registry.js';
import { startLabInProcess, type LabInProcess } from '../support/lab-in-process.js';

describe('the RPO writer against a lab reused by several runs', function () {
  this.timeout(30_000);
  let lab: LabInProcess | null = null;
  afterEach(async () => {
    await lab?.stop();
    lab = null;
  });

  async function oneRun(url: string): Promise<RpoWriteLog> {
    const spec: RpoObjective = {
      maxMs: 1_000,
      intervalMs: 20,
      timeoutMs: 2_000,
      writer: { type: 'http', url: `${url}/orders`, method: 'POST', headers: {} },
      reader: { type: 'http', url: `${url}/orders/{id}`, method: 'GET', headers: {} },
    };
    const ledger = new RpoWriteLog(spec, await createRegistry().load(['http']));
    await ledger.start();
    await new Promise((r) => setTimeout(r, 300));
    await ledger.stop();
    return ledger;
  }

  it('gives each run ids no earlier run used, so every acknowledged write of both runs is a row of its own', async () => {
    lab = await startLabInProcess();
    const first = await oneRun(lab.info.url);
    const second = await oneRun(lab.info.url);
    const acked = (l: RpoWriteLog) => l.writes.filter((w) => w.ackAt !== null).map((w) => w.id);
    expect(acked(first)).to.have.length.above(3);
    expect(acked(second)).to.have.length.above(3);
    expect(acked(second).filter((id) => acked(first).includes(id))).to.deep.equal([]);
    // With ids 1, 2, 3… in both runs, the second run's writes would be upserts of the first's: fewer rows.
    expect(lab.lab.dbs.a.count()).to.equal(acked(first).length + acked(second).length);
    const reads = await second.readBack();
    expect([...reads.values()].every((found) => found === true)).to.equal(true);
  });
});

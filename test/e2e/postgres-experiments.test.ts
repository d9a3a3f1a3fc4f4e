/**
 * The PostgreSQL drills end to end through the built binary: `chaos lab postgres up` (OS-chosen ports, in a temp
 * dir), experiments/postgres/backup-restore.yaml and replica-failover.yaml run with the URLs it printed (exit 0,
 * RTO and RPO in the journal), then `chaos lab postgres down`, after which no postgres process of the lab is left.
 */
import { expect } from 'chai';
import { access, writeFile } from 'node:fs/promises';
import pg from 'pg';
import { join } from 'node:path';
import { alive } from '../../src/os/postgres/local-cluster.js';
import { journalIn, readJournalDoc, ROOT, runChaos, startChaos, stopAllChaos, waitFor, type JournalDoc } from '../support/cli.js';
import { PostgresClusters } from '../support/postgres-cluster.js';

interface LabUp {
  dir: string;
  primary: { url: string; dataDir: string; pid: number };
  standby: { url: string; dataDir: string; pid: number };
}

interface Objective {
  name: string;
  passed: boolean;
  value: number | null;
  evidence: { lost?: number; acknowledged?: number; t0?: string };
}

function objectivesOf(journal: JournalDoc): Objective[] {
  return journal.entries.find((e) => e.kind === 'objectives')!.data as Objective[];
}

function activityOutput(journal: JournalDoc, name: string): any {
  const entry = journal.entries.find((e) => e.kind === 'activity' && e.data?.name === name);
  return entry?.data?.output;
}

describe('PostgreSQL drills through the chaos binary', function () {
  this.timeout(120_000);
  const dirs = new PostgresClusters();
  let cwd: string;
  let lab: LabUp | null = null;
  const chaos = (args: string[]) => runChaos([...args, '--state-dir', join(cwd, 'state')], { cwd, timeoutMs: 90_000 });

  before(async () => {
    cwd = await dirs.tempDir('chaos-pg-e2e-');
    const out = await chaos(['lab', 'postgres', 'up', '--port-base', '0', '--orders', '500', '--json']);
    expect(out.code, out.stdout + out.stderr).to.equal(0);
    lab = JSON.parse(out.stdout) as LabUp;
    expect(lab.primary.url).to.match(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/shop$/);
  });

  afterEach(() => stopAllChaos());

  after(async () => {
    // Normally `down` in the last test did this; a failed test must not leave servers behind either.
    if (lab !== null && [lab.primary.pid, lab.standby.pid].some(alive)) await chaos(['lab', 'postgres', 'down']);
    for (const pid of lab === null ? [] : [lab.primary.pid, lab.standby.pid]) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await dirs.stopAll();
  });

  const vars = () => ['--var', `primary=${lab!.primary.url}`, '--var', `replica=${lab!.standby.url}`, '--var', `primaryDataDir=${lab!.primary.dataDir}`];

  it('backup-restore: the tables come back from the backup; RTO covers the restore, RPO the writes since the backup', async () => {
    const runDir = join(cwd, 'backup-restore');
    const out = await chaos(['run', join(ROOT, 'experiments/postgres/backup-restore.yaml'), ...vars().slice(0, 2), '-o', runDir]);
    expect(out.code, out.stdout + out.stderr).to.equal(0);
    const journal = await readJournalDoc(journalIn(runDir));
    const [rto, rpo] = ['rto', 'rpo'].map((n) => objectivesOf(journal).find((o) => o.name === n)!);
    // The fault lasts 1 s before its revert restores: RTO is that plus the restore (well under 10 s here).
    expect(rto!.passed).to.equal(true);
    expect(rto!.value).to.be.within(1_000, 10_000);
    // Writes are acknowledged between the backup and the drop (1 s apart): those are lost.
    expect(rpo!.passed).to.equal(true);
    expect(rpo!.evidence.lost).to.be.greaterThan(5);
    expect(rpo!.value).to.be.within(800, 5_000);
    const verify = activityOutput(journal, 'orders verified row by row against the backup');
    expect(verify, 'the verify step ran and recorded its output').to.not.equal(undefined);
    expect(verify.tables['public.orders']).to.deep.include({ rows: 500, ok: true });
  });

  it('chaos recover restores a dropped table from the backup after a kill -9 of the runner', async () => {
    const file = join(cwd, 'drop-and-die.yaml');
    await writeFile(
      file,
      `version: 1
name: drop-and-die
targets:
  db: { type: postgres, url: "${lab!.primary.url}", allowDestructive: true }
method:
  - action: { type: postgres.backup, target: db, tables: [orders] }
  - name: orders dropped
    fault: { type: postgres.drop-table, target: db, tables: [orders] }
    duration: 60s
`,
    );
    const ordersExist = async () => {
      const client = new pg.Client({ connectionString: lab!.primary.url });
      await client.connect();
      try {
        return (await client.query<{ t: string | null }>("SELECT to_regclass('orders')::text AS t")).rows[0]!.t !== null;
      } finally {
        await client.end();
      }
    };
    const runner = startChaos(['run', file, '--state-dir', join(cwd, 'state'), '-o', join(cwd, 'drop-and-die')], { cwd, timeoutMs: 90_000 });
    await waitFor('orders dropped', async () => !(await ordersExist()), 30_000);
    runner.child.kill('SIGKILL');
    await runner.exited;
    expect(await ordersExist()).to.equal(false);
    const recovered = await chaos(['recover']);
    expect(recovered.code, recovered.stdout + recovered.stderr).to.equal(0);
    expect(recovered.stdout).to.match(/reverted.*postgres\.drop-table/);
    const client = new pg.Client({ connectionString: lab!.primary.url });
    await client.connect();
    try {
      expect((await client.query<{ n: number }>('SELECT count(*)::int AS n FROM orders')).rows[0]!.n).to.equal(500);
    } finally {
      await client.end();
    }
  });

  it('replica-failover: the replica is promoted after the primary crashes; RTO and RPO measured', async () => {
    const runDir = join(cwd, 'failover');
    const out = await chaos(['run', join(ROOT, 'experiments/postgres/replica-failover.yaml'), ...vars(), '-o', runDir]);
    expect(out.code, out.stdout + out.stderr).to.equal(0);
    const journal = await readJournalDoc(journalIn(runDir));
    const [rto, rpo] = ['rto', 'rpo'].map((n) => objectivesOf(journal).find((o) => o.name === n)!);
    // Crash, 1 s of "detection", then the promotion: a little over 1 s.
    expect(rto!.value).to.be.within(1_000, 5_000);
    expect(rpo!.passed).to.equal(true);
    expect(rpo!.evidence.acknowledged).to.be.greaterThan(10);
    expect(alive(lab!.primary.pid), 'the old primary stays down').to.equal(false);
  });

  it('lab down stops both servers by their postmaster PIDs and removes the folder', async () => {
    const status = await chaos(['lab', 'postgres', 'status', '--json']);
    expect(JSON.parse(status.stdout).nodes.map((n: { role: string }) => n.role)).to.deep.equal(['down', 'primary']);
    const up = await chaos(['lab', 'postgres', 'up', '--port-base', '0']);
    expect(up.code).to.equal(5);
    expect(up.stderr).to.include('chaos lab postgres down');
    const out = await chaos(['lab', 'postgres', 'down']);
    expect(out.code, out.stdout + out.stderr).to.equal(0);
    expect(alive(lab!.standby.pid)).to.equal(false);
    expect(alive(lab!.primary.pid)).to.equal(false);
    const gone = await access(lab!.dir).then(() => false, () => true);
    expect(gone).to.equal(true);
  });
});

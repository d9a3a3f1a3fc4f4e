/**
 * The lagging-replica drill end to end through the built binary: `chaos proxy serve` (the embedded proxy, OS-chosen
 * port), `chaos lab postgres up --replication-proxy <its URL>` (the standby streams through proxy
 * "pg-replication"), experiments/postgres/lagging-replica-failover.yaml (a 500 ms latency toxic, the link cut, the
 * primary crashed, the replica promoted) exits 0 with an RPO of about the toxic's delay; the old primary, restarted
 * afterwards, holds exactly the lost writes between the last survivor and the newest lost one; `lab postgres down`
 * removes the proxy from the API and stops the servers.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { alive, clusterRunning, startCluster } from '../../src/os/postgres/local-cluster.js';
import { journalIn, readJournalDoc, ROOT, runChaos, startChaos, stopAllChaos, waitFor, type RunningChaos } from '../support/cli.js';
import { PostgresClusters, sql, testPrograms } from '../support/postgres-cluster.js';

interface LabUp {
  dir: string;
  primary: { url: string; dataDir: string; pid: number };
  standby: { url: string; dataDir: string; pid: number };
  replicationProxy: { api: string; name: string; port: number };
}

interface RpoEvidence {
  lost: number;
  acknowledged: number;
  lostIds: number[];
  newestLost: { id: number };
  newestSurvivorBefore: { id: number } | null;
}

describe('a failover with a replica that really lags, through the chaos binary', function () {
  this.timeout(120_000);
  const dirs = new PostgresClusters();
  let cwd: string;
  let proxy: RunningChaos | null = null;
  let lab: LabUp | null = null;
  const chaos = (args: string[]) => runChaos([...args, '--state-dir', join(cwd, 'state')], { cwd, timeoutMs: 90_000 });

  after(async () => {
    if (lab !== null && [lab.primary.pid, lab.standby.pid].some(alive)) await chaos(['lab', 'postgres', 'down']);
    for (const pid of lab === null ? [] : [lab.primary.pid, lab.standby.pid]) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await stopAllChaos();
    await dirs.stopAll();
  });

  it('measures the RPO the latency toxic causes, and the old primary holds exactly the writes it lost', async () => {
    cwd = await dirs.tempDir('chaos-pg-lag-');
    proxy = startChaos(['proxy', 'serve', '--listen', '127.0.0.1:0'], { cwd, timeoutMs: 110_000 });
    const api = await waitFor('the proxy API', () => /listening on (http:\/\/[\d.:]+)/.exec(proxy!.stdout())?.[1]);

    const up = await chaos(['lab', 'postgres', 'up', '--port-base', '0', '--orders', '100', '--replication-proxy', api, '--json']);
    expect(up.code, up.stdout + up.stderr).to.equal(0);
    lab = JSON.parse(up.stdout) as LabUp;
    expect(lab.replicationProxy).to.include({ api, name: 'pg-replication' });
    const proxies = (await (await fetch(`${api}/proxies`)).json()) as Record<string, { upstream: string }>;
    expect(proxies['pg-replication']!.upstream).to.equal(`127.0.0.1:${new URL(lab.primary.url).port}`);

    const runDir = join(cwd, 'run');
    const vars = ['--var', `primary=${lab.primary.url}`, '--var', `replica=${lab.standby.url}`, '--var', `primaryDataDir=${lab.primary.dataDir}`, '--var', `proxyApi=${api}`];
    const out = await chaos(['run', join(ROOT, 'experiments/postgres/lagging-replica-failover.yaml'), ...vars, '-o', runDir]);
    expect(out.code, out.stdout + out.stderr).to.equal(0);
    const objectives = (await readJournalDoc(journalIn(runDir))).entries.find((e) => e.kind === 'objectives')!.data as Array<{ name: string; value: number; evidence: RpoEvidence }>;
    const rpo = objectives.find((o) => o.name === 'rpo')!;
    // 500 ms of writes, one every 25 ms, were in the proxy when the link was cut.
    expect(rpo.evidence.lost, JSON.stringify(rpo.evidence)).to.be.within(10, 40);
    expect(rpo.value).to.be.within(400, 1_000);

    // The old primary, restarted alone, still holds every write it committed: between the last write the replica
    // kept and the newest one it lost, those are exactly the lost ones (the run could not drop its ledger table
    // there: it was down).
    await startCluster(lab.primary.dataDir, testPrograms());
    const { newestSurvivorBefore, newestLost, lostIds } = rpo.evidence;
    const onOldPrimary = await sql<{ id: string }>(
      lab.primary.url,
      'SELECT id::text FROM chaos_rpo_ledger WHERE id > $1 AND id <= $2 ORDER BY id',
      [newestSurvivorBefore!.id, newestLost.id],
    );
    expect(onOldPrimary.map((r) => Number(r.id))).to.deep.equal([...lostIds].sort((a, b) => a - b));

    const down = await chaos(['lab', 'postgres', 'down']);
    expect(down.code, down.stdout + down.stderr).to.equal(0);
    expect(await (await fetch(`${api}/proxies`)).json(), 'the replication proxy is removed').to.deep.equal({});
    expect([lab.primary.pid, lab.standby.pid].filter(alive)).to.deep.equal([]);
    expect(await clusterRunning(lab.primary.dataDir), 'the restarted old primary is stopped too').to.equal(false);
    proxy.child.kill('SIGTERM');
    expect((await proxy.exited).code).to.equal(0);
  });
});

/**
 * RPO against a known truth on real PostgreSQL, with a replica that really lags (issue 16). On loopback a direct
 * standby keeps up within a millisecond, so every failover measures RPO 0 and nothing shows that a non-zero RPO is
 * measured right. Here the standby streams through chaosdrill's embedded Toxiproxy-compatible proxy with a 400 ms
 * latency toxic on the primary → standby direction. Under writes (the SQL RPO ledger), the primary's region goes
 * dark: the replication link is cut (the proxy disabled, which drops the WAL it still holds) and the primary
 * crashes; the standby is promoted and read back.
 *
 * The truth comes from the databases themselves: the old primary, restarted on its own after the failover, holds
 * every write it acknowledged; the promoted standby holds what reached it. Lost = acknowledged, on the old primary,
 * missing on the promoted standby. The measured RPO objective must list exactly those ids, count them, and give the
 * RPO their acknowledgement times define.
 */
import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { Toxiproxy } from 'toxiproxy-node-client';
import { RpoWriteLog } from '../../src/engine/observers/rpo-write-log.js';
import type { RpoObjective } from '../../src/experiment/types.js';
import { createRegistry } from '../../src/plugins/registry.js';
import { measureRpo } from '../../src/measure/rpo.js';
import { promoteAction } from '../../src/plugins/postgres/actions/promote.js';
import { postgresConfigSchema } from '../../src/plugins/postgres/config.js';
import { alive, postmasterPid, startCluster, stopCluster } from '../../src/os/postgres/local-cluster.js';
import { connectPostgres, type PostgresSession } from '../../src/plugins/postgres/session.js';
import { activityContext, pluginContext } from '../support/contexts.js';
import { PostgresClusters, sql, testPrograms } from '../support/postgres-cluster.js';

const LATENCY_MS = 400;
const WRITE_INTERVAL_MS = 20;

/** A step's parameters as the experiment schema gives them (defaults applied), typed for the call they go to. */
const parse = <P>(def: { params: { parse(input: unknown): unknown } }, input: Record<string, unknown>): P => def.params.parse(input) as P;
const idsIn = async (url: string) => new Set((await sql<{ id: string }>(url, 'SELECT id::text FROM chaos_rpo_ledger')).map((r) => Number(r.id)));

describe('postgres failover with a lagging replica: the measured RPO against both databases', function () {
  this.timeout(90_000);
  const clusters = new PostgresClusters();
  let ledger: RpoWriteLog | null = null;
  const killed: number[] = [];

  afterEach(async () => {
    for (const pid of killed.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await ledger?.stop();
    ledger = null;
    await clusters.stopAll();
  });

  it('streams through the proxy, lags by the toxic, and loses exactly the acknowledged writes the promoted standby lacks', async () => {
    const pair = await clusters.start({ standby: true, orders: 10, replicationProxy: true });
    const proxyInfo = pair.replicationProxy!;
    // The standby's walreceiver is connected through the proxy, not to the primary directly.
    const [sender] = await sql<{ client_port: number; state: string }>(pair.primary.url, 'SELECT client_port, state FROM pg_stat_replication');
    expect(sender?.state, 'the standby streams').to.equal('streaming');
    const [conninfo] = await sql<{ conninfo: string }>(pair.standby!.url, 'SELECT conninfo FROM pg_stat_wal_receiver');
    expect(conninfo!.conninfo).to.contain(`port=${proxyInfo.port}`);

    const spec: RpoObjective = {
      maxMs: 5_000,
      intervalMs: WRITE_INTERVAL_MS,
      timeoutMs: 1_000,
      writer: { type: 'postgres', url: pair.primary.url, table: 'chaos_rpo_ledger' },
      reader: { type: 'postgres', url: pair.standby!.url, table: 'chaos_rpo_ledger' },
    };
    ledger = new RpoWriteLog(spec, await createRegistry().load(['postgres']));
    await ledger.start();
    await sleep(300);

    const proxy = await new Toxiproxy(proxyInfo.api).get(proxyInfo.name);
    await proxy.addToxic({ name: 'lag', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: LATENCY_MS, jitter: 0 } });
    await sleep(1_500);
    // The replica really lags: the newest write it holds is about LATENCY_MS behind the primary's.
    const newest = async (url: string) => Number((await sql<{ m: string | null }>(url, 'SELECT max(id)::text AS m FROM chaos_rpo_ledger'))[0]!.m);
    const [onPrimary, onStandby] = await Promise.all([newest(pair.primary.url), newest(pair.standby!.url)]);
    const behind = ledger.writes.filter((w) => w.id > onStandby && w.id <= onPrimary).length;
    expect(behind, `writes the standby is behind (${LATENCY_MS} ms at one per ${WRITE_INTERVAL_MS} ms)`).to.be.within(5, 60);

    // The primary's region goes dark: the replication link is cut (what the proxy still holds is dropped), then
    // the server crashes (an immediate stop, as postgres.kill does: no checkpoint, clients cut off).
    await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    const postmaster = (await postmasterPid(pair.primary.dataDir))!;
    killed.push(postmaster);
    await stopCluster(pair.primary.dataDir, 'immediate', testPrograms());

    const standby = (await connectPostgres(postgresConfigSchema.parse({ url: pair.standby!.url }), pluginContext({ workDir: '/tmp', targetName: 'replica' })))
      .session as PostgresSession;
    await promoteAction.run(standby, parse(promoteAction, {}), activityContext());
    await sleep(200);
    await ledger.stop();

    // The truth, from both databases: restart the old primary alone (its WAL is intact: only the processes died).
    await startCluster(pair.primary.dataDir, testPrograms());
    clusters.remember({ ...pair, primary: { ...pair.primary, pid: await postmasterPid(pair.primary.dataDir) } });
    const [primaryIds, standbyIds] = await Promise.all([idsIn(pair.primary.url), idsIn(pair.standby!.url)]);
    const acked = ledger.writes.filter((w) => w.ackAt !== null);
    expect(acked.filter((w) => !primaryIds.has(w.id)).map((w) => w.id), 'every acknowledged write is on the old primary').to.deep.equal([]);
    const trulyLost = acked.filter((w) => !standbyIds.has(w.id)).sort((a, b) => a.ackAt! - b.ackAt!);
    expect(trulyLost.length, 'about 400 ms of writes, one every 20 ms').to.be.within(8, 60);

    const result = measureRpo(ledger.writes, await ledger.readBack(), spec);
    console.log(`      measured: ${result.message}; truth: ${trulyLost.length} lost (ids ${trulyLost[0]!.id}…${trulyLost.at(-1)!.id})`);
    const evidence = result.evidence as { lost: number; lostIds: number[]; acknowledged: number };
    expect(evidence.acknowledged).to.equal(acked.length);
    expect(evidence.lost).to.equal(trulyLost.length);
    expect([...evidence.lostIds].sort()).to.deep.equal(trulyLost.map((w) => w.id).sort());
    // RPO from the truth: newest lost ack − newest surviving ack before the oldest lost one.
    const oldestLost = trulyLost[0]!;
    const survivorBefore = acked.filter((w) => standbyIds.has(w.id) && w.ackAt! < oldestLost.ackAt!).sort((a, b) => a.ackAt! - b.ackAt!).at(-1)!;
    const truthRpo = trulyLost.at(-1)!.ackAt! - survivorBefore.ackAt!;
    expect(result.value).to.equal(truthRpo);
    // The span is the toxic's delay, give or take the writer interval and the time the cut and the crash took.
    expect(result.value).to.be.within(LATENCY_MS - 3 * WRITE_INTERVAL_MS, LATENCY_MS + 600);
  });
});

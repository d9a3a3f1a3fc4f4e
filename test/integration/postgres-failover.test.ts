/**
 * Replica failover measured by the SQL RPO ledger against real PostgreSQL: the writer INSERTs into the primary, the
 * primary crashes with WAL its standby never received, the standby is promoted, and the reader reads from it. The
 * measured loss must be exactly the acknowledged writes the promoted standby does not hold (read directly), and the
 * ledger table is dropped afterwards.
 *
 * To lose writes for certain, the primary's walsender is stopped (SIGSTOP) for a while before the crash, and the
 * crash is a SIGKILL of the postmaster and the walsender: an immediate stop would first let the walsender run.
 */
import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { RpoWriteLog } from '../../src/engine/observers/rpo-write-log.js';
import type { RpoObjective } from '../../src/experiment/types.js';
import { createRegistry } from '../../src/plugins/registry.js';
import { measureRpo } from '../../src/measure/rpo.js';
import { promoteAction } from '../../src/plugins/postgres/actions/promote.js';
import { postgresConfigSchema } from '../../src/plugins/postgres/config.js';
import type { LabPair } from '../../src/lab/postgres/lab-pair.js';
import { alive, postmasterPid } from '../../src/os/postgres/local-cluster.js';
import { connectPostgres, type PostgresSession } from '../../src/plugins/postgres/session.js';
import { activityContext, pluginContext } from '../support/contexts.js';
import { PostgresClusters, sql } from '../support/postgres-cluster.js';

/** A step's parameters as the experiment schema gives them (defaults applied), typed for the call they go to. */
const parse = <P>(def: { params: { parse(input: unknown): unknown } }, input: Record<string, unknown>): P => def.params.parse(input) as P;

describe('postgres failover: the SQL RPO ledger against what the promoted standby holds', function () {
  this.timeout(60_000);
  const clusters = new PostgresClusters();
  const stopped: number[] = [];
  let pair: LabPair;
  let ledger: RpoWriteLog | null = null;

  beforeEach(async () => {
    pair = await clusters.start({ standby: true, orders: 10 });
  });
  afterEach(async () => {
    for (const pid of stopped.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await ledger?.stop();
    ledger = null;
    await clusters.stopAll();
  });

  it('counts as lost exactly the acknowledged writes the promoted standby does not hold', async () => {
    const spec: RpoObjective = {
      maxMs: 5_000,
      intervalMs: 20,
      timeoutMs: 1_000,
      writer: { type: 'postgres', url: pair.primary.url, table: 'chaos_rpo_ledger' },
      reader: { type: 'postgres', url: pair.standby!.url, table: 'chaos_rpo_ledger' },
    };
    ledger = new RpoWriteLog(spec, await createRegistry().load(['postgres']));
    await ledger.start();
    await sleep(500);
    // Writes so far reached the standby; from now on the primary acknowledges writes it does not ship.
    const [sender] = await sql<{ pid: number }>(pair.primary.url, 'SELECT pid FROM pg_stat_replication');
    expect(sender, 'a walsender serves the standby').to.not.equal(undefined);
    process.kill(sender!.pid, 'SIGSTOP');
    stopped.push(sender!.pid);
    const pausedAt = Date.now();
    await sleep(400);
    const postmaster = (await postmasterPid(pair.primary.dataDir))!;
    process.kill(postmaster, 'SIGKILL');
    process.kill(sender!.pid, 'SIGKILL');
    const crashedAt = Date.now();

    const standby = (await connectPostgres(postgresConfigSchema.parse({ url: pair.standby!.url }), pluginContext({ workDir: '/tmp', targetName: 'replica' })))
      .session as PostgresSession;
    await promoteAction.run(standby, parse(promoteAction, {}), activityContext());
    await sleep(200);
    await ledger.stop();

    const held = new Set((await sql<{ id: string }>(pair.standby!.url, 'SELECT id::text FROM chaos_rpo_ledger')).map((r) => Number(r.id)));
    const acked = ledger.writes.filter((w) => w.ackAt !== null);
    const trulyLost = acked.filter((w) => !held.has(w.id)).sort((a, b) => a.ackAt! - b.ackAt!);
    // About 400 ms of writes every 20 ms; generous bounds (2 shared cores), but never none.
    expect(trulyLost.length).to.be.within(5, 40);
    expect(trulyLost.every((w) => w.ackAt! >= pausedAt - 50 && w.ackAt! <= crashedAt + 50)).to.equal(true);

    const result = measureRpo(ledger.writes, await ledger.readBack(), spec);
    const evidence = result.evidence as { lost: number; lostIds: number[] };
    expect(evidence.lost).to.equal(trulyLost.length);
    expect([...evidence.lostIds].sort()).to.deep.equal(trulyLost.map((w) => w.id).sort());
    // RPO from ground truth: newest lost ack − newest surviving ack before the oldest lost one.
    const oldestLost = trulyLost[0]!;
    const survivorBefore = acked.filter((w) => held.has(w.id) && w.ackAt! < oldestLost.ackAt!).sort((a, b) => a.ackAt! - b.ackAt!).at(-1)!;
    expect(result.value).to.equal(trulyLost.at(-1)!.ackAt! - survivorBefore.ackAt!);
    expect(result.value).to.be.within(300, 1_500);
    // The run's ledger table is gone once read.
    expect((await sql<{ t: string | null }>(pair.standby!.url, "SELECT to_regclass('chaos_rpo_ledger')::text AS t"))[0]!.t).to.equal(null);
  });

  it('refuses to start (exit 5) when the writer cannot create its ledger table, and drops the table of a run that never read back', async () => {
    const unreachable = new RpoWriteLog({
      maxMs: 1_000,
      intervalMs: 50,
      timeoutMs: 500,
      // Port 1 on loopback refuses at once.
      writer: { type: 'postgres', url: 'postgres://postgres@127.0.0.1:1/shop', table: 'chaos_rpo_ledger' },
      reader: { type: 'postgres', url: 'postgres://postgres@127.0.0.1:1/shop', table: 'chaos_rpo_ledger' },
    }, await createRegistry().load(['postgres']));
    const refused = await unreachable.start().then(() => null, (error: unknown) => error as { code?: string; exitCode?: number });
    expect(refused?.code).to.equal('E_RPO_LEDGER');
    expect(refused?.exitCode).to.equal(5);
    expect(unreachable.writes).to.have.length(0);

    const endpoint = { type: 'postgres' as const, url: pair.primary.url, table: 'chaos_rpo_ledger' };
    ledger = new RpoWriteLog({ maxMs: 1_000, intervalMs: 50, timeoutMs: 1_000, writer: endpoint, reader: endpoint }, await createRegistry().load(['postgres']));
    await ledger.start();
    await sleep(200);
    await ledger.stop();
    const table = async () => (await sql<{ t: string | null }>(pair.primary.url, "SELECT to_regclass('chaos_rpo_ledger')::text AS t"))[0]!.t;
    expect(await table(), 'the table exists while the run goes on').to.equal('chaos_rpo_ledger');
    expect(ledger.writes.some((w) => w.ackAt !== null)).to.equal(true);
    // A run that failed before its objectives were evaluated (an internal error) discards its ledger.
    await ledger.discard();
    expect(await table()).to.equal(null);
  });
});

/**
 * The postgres plugin's faults against a real PostgreSQL server: destructive faults refused without a backup or
 * without allowDestructive, and reverted from the run's backup (also by a fresh `recover` session after a simulated
 * crash); a crash of the local cluster and its restart; cut sessions; read-only mode and its revert.
 */
import { expect } from 'chai';
import pg from 'pg';
import { backupAction } from '../../src/plugins/postgres/actions/backup.js';
import { verifyAction } from '../../src/plugins/postgres/actions/verify.js';
import { postgresConfigSchema } from '../../src/plugins/postgres/config.js';
import { blockWritesFault } from '../../src/plugins/postgres/faults/block-writes.js';
import { deleteRowsFault } from '../../src/plugins/postgres/faults/delete-rows.js';
import type { DestructiveState } from '../../src/plugins/postgres/faults/destructive.js';
import { dropTableFault } from '../../src/plugins/postgres/faults/drop-table.js';
import { killFault } from '../../src/plugins/postgres/faults/kill.js';
import { terminateConnectionsFault } from '../../src/plugins/postgres/faults/terminate-connections.js';
import { truncateFault } from '../../src/plugins/postgres/faults/truncate.js';
import type { LabPair } from '../../src/lab/postgres/lab-pair.js';
import { alive, clusterRunning, postmasterPid } from '../../src/os/postgres/local-cluster.js';
import { connectPostgres, type PostgresSession } from '../../src/plugins/postgres/session.js';
import { activityContext, injectContext, pluginContext } from '../support/contexts.js';
import { PostgresClusters, sql } from '../support/postgres-cluster.js';

/** A step's parameters as the experiment schema gives them (defaults applied), typed for the call they go to. */
const parse = <P>(def: { params: { parse(input: unknown): unknown } }, input: Record<string, unknown>): P => def.params.parse(input) as P;

const count = async (url: string, table = 'orders') => (await sql<{ n: number }>(url, `SELECT count(*)::int AS n FROM ${table}`))[0]!.n;

describe('postgres plugin: faults on a real server', function () {
  this.timeout(60_000);
  const clusters = new PostgresClusters();
  let pair: LabPair;
  let workDir: string;

  before(async () => {
    pair = await clusters.start({ orders: 250 });
    workDir = await clusters.tempDir('chaos-pg-work-');
  });
  after(() => clusters.stopAll());

  async function connect(extra: Record<string, unknown> = {}, purpose: 'run' | 'plan' | 'recover' = 'run', uses?: string[]) {
    const config = postgresConfigSchema.parse({ url: pair.primary.url, dataDir: pair.primary.dataDir, ...extra });
    const ctx = { ...pluginContext({ workDir, purpose, targetName: 'db' }), ...(uses ? { uses } : {}) };
    return (await connectPostgres(config, ctx)).session as PostgresSession;
  }

  async function backedUp(session: PostgresSession): Promise<PostgresSession> {
    await backupAction.run(session, parse(backupAction, { tables: ['orders'] }), activityContext());
    return session;
  }

  it('refuses destructive faults without allowDestructive, at connect and at inject, changing nothing', async () => {
    const refused = await connect({}, 'run', ['postgres.drop-table']).then(() => null, (e: { code: string; exitCode: number; hint: string }) => e);
    expect(refused).to.include({ code: 'E_PG_NOT_DESTRUCTIVE', exitCode: 2 });
    expect(refused!.hint).to.include('allowDestructive: true');
    const session = await backedUp(await connect());
    const ctx = injectContext<DestructiveState>();
    const error = await truncateFault.inject(session, parse(truncateFault, { tables: ['orders'] }), ctx).then(() => null, (e: { code: string }) => e.code);
    expect(error).to.equal('E_PG_NOT_DESTRUCTIVE');
    expect(ctx.recorded).to.have.length(0);
    expect(await count(pair.primary.url)).to.equal(250);
  });

  it('refuses destructive faults when the run took no backup of the target', async () => {
    const session = await connect({ allowDestructive: true });
    const ctx = injectContext<DestructiveState>();
    const error = await dropTableFault.inject(session, parse(dropTableFault, { tables: ['orders'] }), ctx).then(() => null, (e: { code: string; hint: string }) => e);
    expect(error).to.include({ code: 'E_PG_NO_BACKUP' });
    expect(error!.hint).to.include('postgres.backup');
    expect(ctx.recorded).to.have.length(0);
    expect(await count(pair.primary.url)).to.equal(250);
  });

  for (const [fault, params, after] of [
    [dropTableFault, { tables: ['orders'] }, null],
    [truncateFault, { tables: ['orders'] }, 0],
    [deleteRowsFault, { table: 'orders', where: 'id % 10 = 0' }, 225],
  ] as const) {
    it(`${fault.type}: records the backup before the damage; revert restores the table, verified row by row`, async () => {
      const session = await backedUp(await connect({ allowDestructive: true }));
      const ctx = injectContext<DestructiveState>();
      const state = await fault.inject(session, parse(fault, params), ctx);
      expect(ctx.recorded[0]).to.deep.equal({ backup: session.latestBackup()!.path, backupMeta: session.latestBackup()!.metaPath, tables: [{ schema: 'public', name: 'orders' }] });
      if (after === null) {
        expect((await sql<{ t: string | null }>(pair.primary.url, "SELECT to_regclass('orders')::text AS t"))[0]!.t).to.equal(null);
      } else {
        expect(await count(pair.primary.url)).to.equal(after);
      }
      await fault.revert(session, state, activityContext());
      await fault.revert(session, state, activityContext()); // idempotent
      await verifyAction.run(session, parse(verifyAction, {}), activityContext());
      expect(await count(pair.primary.url)).to.equal(250);
    });
  }

  it('reverts a destructive fault after a crash, from the recorded state alone, with a session connected for recover', async () => {
    const session = await backedUp(await connect({ allowDestructive: true }));
    const ctx = injectContext<DestructiveState>();
    await dropTableFault.inject(session, parse(dropTableFault, { tables: ['orders'] }), ctx);
    // The runner "died": only the ledger's state survives, and `chaos recover` connects anew.
    const recorded = JSON.parse(JSON.stringify(ctx.recorded.at(-1))) as DestructiveState;
    const recovering = await connect({ allowDestructive: true }, 'recover');
    expect(recovering.backups).to.have.length(0);
    await dropTableFault.revert(recovering, recorded, activityContext());
    expect(await count(pair.primary.url)).to.equal(250);
    await verifyAction.run(session, parse(verifyAction, {}), activityContext());
  });

  it('terminates other sessions and has nothing to revert', async () => {
    const victim = new pg.Client({ connectionString: pair.primary.url, application_name: 'victim' });
    victim.on('error', () => undefined);
    await victim.connect();
    try {
      const session = await connect();
      const state = await terminateConnectionsFault.inject(session, parse(terminateConnectionsFault, { application: 'victim' }), injectContext());
      expect(state.terminated).to.equal(1);
      const error = await victim.query('SELECT 1').then(() => null, (e: Error) => e.message);
      expect(error).to.not.equal(null);
      await terminateConnectionsFault.revert(session, state, activityContext());
    } finally {
      await victim.end().catch(() => undefined);
    }
  });

  it('blocks writes (read-only default, open sessions cut) and lets them through again on revert', async () => {
    const session = await connect();
    const state = await blockWritesFault.inject(session, parse(blockWritesFault, {}), injectContext());
    const blocked = await sql(pair.primary.url, "INSERT INTO orders (id, item, amount) VALUES (100001, 'x', 1)").then(() => null, (e: Error) => e.message);
    expect(blocked).to.match(/read-only transaction/);
    await blockWritesFault.revert(session, state, activityContext());
    await blockWritesFault.revert(session, state, activityContext()); // idempotent
    await sql(pair.primary.url, "INSERT INTO orders (id, item, amount) VALUES (100001, 'x', 1)");
    await sql(pair.primary.url, 'DELETE FROM orders WHERE id = 100001');
  });

  it('crashes the local cluster (immediate stop) and starts it again on revert; restart: false leaves it down', async () => {
    const session = await connect();
    const before = await postmasterPid(pair.primary.dataDir);
    const state = await killFault.inject(session, parse(killFault, {}), injectContext());
    expect(state).to.include({ dataDir: pair.primary.dataDir, pid: before, restart: true });
    expect(alive(before!)).to.equal(false);
    await killFault.revert(session, state, activityContext());
    await killFault.revert(session, state, activityContext()); // idempotent: already running
    const after = await postmasterPid(pair.primary.dataDir);
    expect(after).to.not.equal(before);
    pair.primary.pid = after;
    clusters.remember(pair);
    expect(await count(pair.primary.url)).to.equal(250);

    const down = await killFault.inject(session, parse(killFault, { restart: false }), injectContext());
    await killFault.revert(session, down, activityContext());
    expect(await clusterRunning(pair.primary.dataDir)).to.equal(false);
    // Leave it running for stopAll's checks.
    await killFault.revert(session, { ...down, restart: true }, activityContext());
    pair.primary.pid = await postmasterPid(pair.primary.dataDir);
    clusters.remember(pair);
  });
});

/**
 * The postgres plugin's actions and probes against a real PostgreSQL primary with a streaming standby (started per
 * file, on OS-chosen ports, stopped afterwards): backups verified row by row after restores, a damaged backup
 * caught by verify, a physical backup checked by pg_verifybackup, promotion, and the three probes.
 */
import { expect } from 'chai';
import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Json } from '../../src/json.js';
import { backupAction } from '../../src/plugins/postgres/actions/backup.js';
import { promoteAction } from '../../src/plugins/postgres/actions/promote.js';
import { restoreAction } from '../../src/plugins/postgres/actions/restore.js';
import { verifyAction } from '../../src/plugins/postgres/actions/verify.js';
import { postgresConfigSchema } from '../../src/plugins/postgres/config.js';
import { corruptBackupFault } from '../../src/plugins/postgres/faults/corrupt-backup.js';
import type { LabPair } from '../../src/lab/postgres/lab-pair.js';
import { isPrimaryProbe } from '../../src/plugins/postgres/probes/is-primary.js';
import { queryProbe } from '../../src/plugins/postgres/probes/query.js';
import { replicationLagProbe } from '../../src/plugins/postgres/probes/replication-lag.js';
import { connectPostgres, type PostgresSession } from '../../src/plugins/postgres/session.js';
import { activityContext, injectContext, pluginContext } from '../support/contexts.js';
import { PostgresClusters, sql } from '../support/postgres-cluster.js';

/** A step's parameters as the experiment schema gives them (defaults applied), typed for the call they go to. */
const parse = <P>(def: { params: { parse(input: unknown): unknown } }, input: Record<string, unknown>): P => def.params.parse(input) as P;

describe('postgres plugin: actions and probes on a real server', function () {
  this.timeout(60_000);
  const clusters = new PostgresClusters();
  let pair: LabPair;
  let workDir: string;

  before(async () => {
    pair = await clusters.start({ standby: true, orders: 300 });
    workDir = await clusters.tempDir('chaos-pg-work-');
  });
  after(() => clusters.stopAll());

  async function connect(url: string, extra: Record<string, unknown> = {}, purpose: 'run' | 'plan' | 'recover' = 'run') {
    const config = postgresConfigSchema.parse({ url, ...extra });
    const connection = await connectPostgres(config, pluginContext({ workDir, purpose, targetName: 'db' }));
    return connection;
  }

  it('connects: checks the server answers and publishes its role and version, never the password', async () => {
    const connection = await connect(pair.primary.url);
    expect(connection.attributes).to.include({ host: '127.0.0.1', port: pair.primary.port, database: 'shop', isPrimary: 'true' });
    expect(String(connection.attributes.serverVersion)).to.match(/^\d+\.\d+/);
    const standby = await connect(pair.standby!.url);
    expect(standby.attributes.isPrimary).to.equal('false');
    const withPassword = await connect(`postgres://postgres:s3cret@127.0.0.1:${pair.primary.port}/shop`);
    expect(JSON.stringify(withPassword.attributes)).to.not.include('s3cret');
    expect((withPassword.session as PostgresSession).shownUrl).to.equal(`postgres://postgres:***@127.0.0.1:${pair.primary.port}/shop`);
  });

  it('contacts nothing under plan and recover, and fails with exit 5 under run when nothing answers', async () => {
    const nobody = 'postgres://postgres@127.0.0.1:1/shop';
    for (const purpose of ['plan', 'recover'] as const) {
      const connection = await connect(nobody, {}, purpose);
      expect(connection.attributes).to.deep.equal({ host: '127.0.0.1', port: 1, database: 'shop' });
    }
    const error = await connect(nobody).then(() => null, (e: unknown) => e as { code: string; exitCode: number });
    expect(error).to.include({ code: 'E_TARGET_UNREACHABLE', exitCode: 5 });
  });

  it('backs up with pg_dump, restores into the database after damage, and verifies every row', async () => {
    const session = (await connect(pair.primary.url)).session as PostgresSession;
    const out = (await backupAction.run(session, parse(backupAction, { tables: ['orders'] }), activityContext())) as Record<string, Json>;
    expect(out.walLsn).to.match(/^[0-9A-F]+\/[0-9A-F]+$/);
    expect((out.tables as Record<string, { rows: number }>)['public.orders']!.rows).to.equal(300);
    const backupFile = String(out.path);
    expect((await stat(`${backupFile}.json`)).isFile()).to.equal(true);

    await sql(pair.primary.url, "UPDATE orders SET item = 'changed' WHERE id = 7");
    await sql(pair.primary.url, 'DELETE FROM orders WHERE id > 290');
    const failed = await verifyAction.run(session, parse(verifyAction, {}), activityContext()).then(() => null, (e: Error) => e.message);
    expect(failed).to.include('public.orders: 290 rows, 300 at backup');

    await sql(pair.primary.url, 'INSERT INTO orders (id, item, amount) SELECT g, $1, 1 FROM generate_series(291, 300) g', ['x']);
    const sameCount = await verifyAction.run(session, parse(verifyAction, {}), activityContext()).then(() => null, (e: Error) => e.message);
    expect(sameCount).to.include('same 300 rows, but their content differs');

    const restored = (await restoreAction.run(session, parse(restoreAction, {}), activityContext())) as Record<string, Json>;
    expect(restored.durationMs).to.be.a('number');
    await verifyAction.run(session, parse(verifyAction, {}), activityContext());
    const [row] = await sql<{ item: string }>(pair.primary.url, 'SELECT item FROM orders WHERE id = 7');
    expect(row!.item).to.equal('item-7');
    // The index came back with the table.
    const indexes = await sql<{ indexname: string }>(pair.primary.url, "SELECT indexname FROM pg_indexes WHERE tablename = 'orders' ORDER BY 1");
    expect(indexes.map((i) => i.indexname)).to.deep.equal(['orders_item_idx', 'orders_pkey']);
  });

  it('gives pg_dump the password through PGPASSWORD, never on its command line', async () => {
    const binDir = await clusters.tempDir('chaos-pg-fakebin-');
    const log = join(binDir, 'argv.log');
    // A stand-in pg_dump that records how it was called and writes an empty dump where -f says.
    await writeFile(
      join(binDir, 'pg_dump'),
      `#!/bin/sh\nprintf '%s\\n' "$@" > ${log}\necho "PGPASSWORD=$PGPASSWORD" >> ${log}\nwhile [ $# -gt 0 ]; do [ "$1" = -f ] && : > "$2"; shift; done\n`,
    );
    await chmod(join(binDir, 'pg_dump'), 0o755);
    const url = `postgres://postgres:hunter2@127.0.0.1:${pair.primary.port}/shop`;
    const session = (await connect(url, { binDir })).session as PostgresSession;
    await backupAction.run(session, parse(backupAction, {}), activityContext());
    const calls = (await readFile(log, 'utf8')).trim().split('\n');
    expect(calls.at(-1)).to.equal('PGPASSWORD=hunter2');
    expect(calls.slice(0, -1).join(' ')).to.not.include('hunter2');
    expect(calls).to.include(`postgresql://postgres@127.0.0.1:${pair.primary.port}/shop`);
    expect(calls.some((a) => a.startsWith('--snapshot='))).to.equal(true);
  });

  it('restores into a new database, verified row by row there', async () => {
    const session = (await connect(pair.primary.url)).session as PostgresSession;
    await backupAction.run(session, parse(backupAction, { tables: ['orders'] }), activityContext());
    await restoreAction.run(session, parse(restoreAction, { intoDatabase: 'shop_restored' }), activityContext());
    const out = (await verifyAction.run(session, parse(verifyAction, { database: 'shop_restored' }), activityContext())) as Record<string, Json>;
    expect(out.tables).to.have.property('public.orders').that.deep.includes({ rows: 300, ok: true });
    const restoredUrl = pair.primary.url.replace(/\/shop$/, '/shop_restored');
    expect((await sql<{ n: number }>(restoredUrl, 'SELECT count(*)::int AS n FROM orders'))[0]!.n).to.equal(300);
  });

  it('catches a damaged copy of the backup, and its revert deletes the copy and restores the original as the backup', async () => {
    const session = (await connect(pair.primary.url)).session as PostgresSession;
    await backupAction.run(session, parse(backupAction, { tables: ['orders'] }), activityContext());
    const original = session.latestBackup()!.path;
    const ctx = injectContext<{ original: string; copy: string; copyMeta: string }>();
    const state = await corruptBackupFault.inject(session, parse(corruptBackupFault, {}), ctx);
    expect(ctx.recorded[0]).to.deep.equal(state);
    expect(session.latestBackup()!.path).to.equal(state.copy);

    const verified = await verifyAction.run(session, parse(verifyAction, {}), activityContext()).then(() => null, (e: { code: string; message: string }) => e);
    expect(verified?.code).to.equal('E_PG_VERIFY_FAILED');
    expect(verified?.message).to.match(/is damaged: its SHA-256/);
    const restore = await restoreAction.run(session, parse(restoreAction, {}), activityContext()).then(() => null, (e: { code: string }) => e.code);
    expect(restore).to.equal('E_PG_BACKUP_CORRUPT');

    await corruptBackupFault.revert(session, state, activityContext());
    await corruptBackupFault.revert(session, state, activityContext()); // idempotent
    expect(session.latestBackup()!.path).to.equal(original);
    const left = await readdir(workDir);
    expect(left.filter((f) => f.includes('.corrupt-'))).to.deep.equal([]);
    await verifyAction.run(session, parse(verifyAction, {}), activityContext());
  });

  it('takes a physical backup that pg_verifybackup accepts, and restores it into a new data directory', async () => {
    const session = (await connect(pair.primary.url)).session as PostgresSession;
    await backupAction.run(session, parse(backupAction, { kind: 'physical', tables: ['orders'] }), activityContext());
    await verifyAction.run(session, parse(verifyAction, { data: false }), activityContext());
    const dataDir = join(await clusters.tempDir(), 'restored');
    await restoreAction.run(session, parse(restoreAction, { dataDir }), activityContext());
    expect((await readdir(dataDir))).to.include.members(['PG_VERSION', 'global', 'base']);
    expect((await stat(dataDir)).mode & 0o777).to.equal(0o700);
  });

  it('probes: a value with a tolerance, the role, and replication lag on both sides', async () => {
    const session = (await connect(pair.primary.url)).session as PostgresSession;
    const standby = (await connect(pair.standby!.url)).session as PostgresSession;
    const count = await queryProbe.run(session, parse(queryProbe, { sql: 'SELECT count(*) FROM orders', expect: { range: [300, 300] } }), activityContext());
    expect(count).to.deep.include({ ok: true, output: { value: 300, rows: 1 } });
    const wrong = await queryProbe.run(session, parse(queryProbe, { sql: 'SELECT count(*) FROM orders', expect: 5 }), activityContext());
    expect(wrong.ok).to.equal(false);
    expect(wrong.message).to.equal('300, expected 5');

    expect((await isPrimaryProbe.run(session, parse(isPrimaryProbe, {}), activityContext())).ok).to.equal(true);
    expect((await isPrimaryProbe.run(standby, parse(isPrimaryProbe, {}), activityContext())).ok).to.equal(false);
    expect((await isPrimaryProbe.run(standby, parse(isPrimaryProbe, { primary: false }), activityContext())).ok).to.equal(true);

    const onPrimary = await replicationLagProbe.run(session, parse(replicationLagProbe, { bytes: { range: [0, 16 * 1024 * 1024] } }), activityContext());
    expect(onPrimary.ok, onPrimary.message).to.equal(true);
    expect(onPrimary.output).to.deep.include({ role: 'primary', standbys: 1 });
    const tooStrict = await replicationLagProbe.run(session, parse(replicationLagProbe, { bytes: { range: [-2, -1] } }), activityContext());
    expect(tooStrict.ok).to.equal(false);
    const onStandby = await replicationLagProbe.run(standby, parse(replicationLagProbe, { bytes: { range: [0, 16 * 1024 * 1024] } }), activityContext());
    expect(onStandby.ok, onStandby.message).to.equal(true);
    expect(onStandby.output).to.deep.include({ role: 'standby' });
  });

  // Last: it turns the standby into a primary.
  it('promotes the standby and records when it accepted writes; refuses to promote a primary', async () => {
    const standby = (await connect(pair.standby!.url)).session as PostgresSession;
    const before = Date.now();
    const out = (await promoteAction.run(standby, parse(promoteAction, {}), activityContext())) as { promotedAt: string; durationMs: number };
    expect(Date.parse(out.promotedAt)).to.be.within(before, Date.now());
    await sql(pair.standby!.url, 'CREATE TABLE written_after_promotion (id int)');
    const again = await promoteAction.run(standby, parse(promoteAction, {}), activityContext()).then(() => null, (e: { code: string }) => e.code);
    expect(again).to.equal('E_PG_NOT_STANDBY');
  });
});

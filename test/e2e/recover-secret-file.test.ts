/**
 * `chaos recover` reads a `{ file: … }` secret next to the experiment file, wherever it runs: a run started from
 * one directory is killed with -9 while a PostgreSQL server (password authentication, the password in a secret
 * file beside the experiment) is read-only; recover, started from another directory, reconnects with that password
 * and makes the server writable again.
 */
import { expect } from 'chai';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { runChaos, startChaos, stopAllChaos, waitFor } from '../support/cli.js';
import { PostgresClusters, sql } from '../support/postgres-cluster.js';

const PASSWORD = 'Recover-Pw-5e1c';

describe('chaos recover reads file secrets relative to the experiment file, not its own working directory', function () {
  this.timeout(120_000);
  const clusters = new PostgresClusters();

  afterEach(async () => {
    await stopAllChaos();
    await clusters.stopAll();
  });

  it('reconnects to a password-protected PostgreSQL after a kill -9 and reverts postgres.block-writes, from another directory', async () => {
    const pair = await clusters.start();
    const port = pair.primary.port;
    const trustUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const passwordUrl = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`;
    // Password authentication on TCP, so the revert really needs the secret.
    await sql(trustUrl, `ALTER USER postgres PASSWORD '${PASSWORD}'`);
    await writeFile(join(pair.primary.dataDir, 'pg_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n');
    await sql(trustUrl, 'SELECT pg_reload_conf()');
    const wrong = await sql(`postgres://postgres:wrong@127.0.0.1:${port}/postgres`, 'SELECT 1').then(() => 'connected', (e: Error) => e.message);
    expect(wrong).to.match(/password authentication failed/);

    const root = await clusters.tempDir('chaos-recover-secret-');
    for (const sub of ['drill/secrets', 'runner', 'elsewhere']) await mkdir(join(root, sub), { recursive: true });
    await writeFile(join(root, 'drill/secrets/db-password.txt'), `${PASSWORD}\n`);
    await writeFile(
      join(root, 'drill/read-only.yaml'),
      `version: 1
name: read-only-then-killed
secrets:
  dbPassword: { file: secrets/db-password.txt }
targets:
  db: { type: postgres, url: "postgres://postgres:\${secrets.dbPassword}@127.0.0.1:${port}/postgres" }
method:
  - fault: { type: postgres.block-writes, target: db }
  - pause: 60s
`,
    );

    // The fault terminates open sessions: a poll caught by that is simply retried.
    const readOnly = async (): Promise<string | undefined> => {
      const client = new pg.Client({ connectionString: passwordUrl });
      client.on('error', () => undefined);
      try {
        await client.connect();
        return (await client.query<{ v: string }>("SELECT current_setting('default_transaction_read_only') AS v")).rows[0]?.v;
      } catch {
        return undefined;
      } finally {
        await client.end().catch(() => undefined);
      }
    };
    const runner = startChaos(['run', '../drill/read-only.yaml', '--state-dir', '../state', '-o', '../run'], { cwd: join(root, 'runner') });
    await waitFor('the server to be read-only', async () => (await readOnly()) === 'on', 30_000);
    runner.child.kill('SIGKILL');
    await runner.exited;
    expect(await readOnly(), 'still read-only after the runner died').to.equal('on');

    const recovered = await runChaos(['recover', '--state-dir', '../state'], { cwd: join(root, 'elsewhere') });
    expect(recovered.code, recovered.stdout + recovered.stderr).to.equal(0);
    expect(recovered.stdout).to.match(/reverted fault postgres\.block-writes on "db"/);
    expect(await readOnly()).to.equal('off');
    expect(recovered.stdout + recovered.stderr).to.not.include(PASSWORD);
  });
});

/**
 * Finding PostgreSQL's programs (binDir, then PATH, then the newest /usr/lib/postgresql/<n>/bin; a clear exit-5
 * error with an install hint when there is none) and keeping a URL's password out of what is shown or passed on a
 * command line.
 */
import { expect } from 'chai';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChaosError, ExitCode } from '../../src/errors.js';
import { findPgProgram } from '../../src/os/postgres/binaries.js';
import { postgresConfigSchema, postgresTargetKey } from '../../src/plugins/postgres/config.js';
import { libpqEnv, parsePgUrl, redactUrl, urlWithoutPassword } from '../../src/plugins/postgres/connection-url.js';

describe('postgres plugin: programs and URLs', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'chaos-pg-bin-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  async function fakeProgram(dir: string, name = 'pg_dump'): Promise<string> {
    await mkdir(dir, { recursive: true });
    const path = join(dir, name);
    await writeFile(path, '#!/bin/sh\nexit 0\n');
    await chmod(path, 0o755);
    return path;
  }

  it('looks in binDir first, then PATH, then the newest Debian install', async () => {
    const debianRoot = join(root, 'usr-lib-postgresql');
    await fakeProgram(join(debianRoot, '13', 'bin'));
    const newest = await fakeProgram(join(debianRoot, '15', 'bin'));
    const onPath = await fakeProgram(join(root, 'path-bin'));
    const inBinDir = await fakeProgram(join(root, 'bin-dir'));
    expect(findPgProgram('pg_dump', join(root, 'bin-dir'), { pathEnv: join(root, 'path-bin'), debianRoot })).to.equal(inBinDir);
    expect(findPgProgram('pg_dump', undefined, { pathEnv: join(root, 'path-bin'), debianRoot })).to.equal(onPath);
    expect(findPgProgram('pg_dump', join(root, 'missing'), { pathEnv: '', debianRoot })).to.equal(newest);
  });

  it('fails with exit 5 and an install hint when a program is nowhere', () => {
    let caught: unknown = null;
    try {
      findPgProgram('pg_basebackup', undefined, { pathEnv: '', debianRoot: join(root, 'nothing') });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(ChaosError);
    const error = caught as ChaosError;
    expect(error.code).to.equal('E_PG_PROGRAM');
    expect(error.exitCode).to.equal(ExitCode.Infrastructure);
    expect(error.message).to.include('pg_basebackup');
    expect(error.hint).to.include('apt-get install postgresql').and.include('binDir');
  });

  it('shows a URL with its password hidden, and gives the password to programs only through PGPASSWORD', () => {
    const url = 'postgres://app:p%40ss@db.internal:6543/shop?sslmode=require';
    expect(redactUrl(url)).to.equal('postgres://app:***@db.internal:6543/shop?sslmode=require');
    const address = parsePgUrl(url);
    expect(address).to.deep.include({ host: 'db.internal', port: 6543, database: 'shop', user: 'app', password: 'p@ss' });
    expect(urlWithoutPassword(address)).to.equal('postgresql://app@db.internal:6543/shop?sslmode=require');
    expect(urlWithoutPassword(address, 'other')).to.equal('postgresql://app@db.internal:6543/other?sslmode=require');
    expect(libpqEnv(address)).to.deep.equal({ PGPASSWORD: 'p@ss' });
    expect(libpqEnv(parsePgUrl('postgres://app@db/shop'))).to.deep.equal({});
  });

  it('keys locks and the ledger by server and database, never by password', () => {
    const config = postgresConfigSchema.parse({ url: 'postgres://app:secret@127.0.0.1:5432/shop' });
    expect(postgresTargetKey(config)).to.equal('postgres:127.0.0.1:5432/shop');
    expect(config.allowDestructive).to.equal(false);
    expect(postgresConfigSchema.safeParse({ url: 'http://127.0.0.1/shop' }).success).to.equal(false);
  });
});

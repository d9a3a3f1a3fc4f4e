/**
 * Finding PostgreSQL's programs: the target's `binDir` first, then PATH, then the newest Debian-style install
 * (`/usr/lib/postgresql/<major>/bin`). Debian puts only some client programs on PATH, and no server programs.
 */
import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ChaosError, ExitCode } from '../../errors.js';

export type PgProgram =
  | 'initdb'
  | 'pg_ctl'
  | 'postgres'
  | 'pg_basebackup'
  | 'pg_dump'
  | 'pg_restore'
  | 'pg_isready'
  | 'pg_verifybackup';

const DEBIAN_ROOT = '/usr/lib/postgresql';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Debian's install directories, newest major version first. */
function debianBinDirs(root: string): string[] {
  try {
    return readdirSync(root)
      .filter((d) => /^\d+$/.test(d))
      .sort((a, b) => Number(b) - Number(a))
      .map((d) => join(root, d, 'bin'));
  } catch {
    return [];
  }
}

export interface SearchPlaces {
  pathEnv?: string | undefined;
  /** Where Debian's versioned installs live (tests point it elsewhere). */
  debianRoot?: string;
}

/** The path of a PostgreSQL program; a ChaosError (infrastructure) with an install hint when there is none. */
export function findPgProgram(program: PgProgram, binDir: string | undefined, places: SearchPlaces = {}): string {
  const pathEnv = 'pathEnv' in places ? places.pathEnv : process.env.PATH;
  const candidates = [
    ...(binDir === undefined ? [] : [binDir]),
    ...(pathEnv ?? '').split(delimiter).filter((d) => d !== ''),
    ...debianBinDirs(places.debianRoot ?? DEBIAN_ROOT),
  ];
  for (const dir of candidates) {
    const path = join(dir, program);
    if (executable(path)) return path;
  }
  throw new ChaosError(`cannot find PostgreSQL's \`${program}\` (looked in ${binDir === undefined ? '' : 'binDir, '}PATH and ${DEBIAN_ROOT}/<version>/bin)`, {
    code: 'E_PG_PROGRAM',
    exitCode: ExitCode.Infrastructure,
    hint: 'install PostgreSQL (`apt-get install postgresql`), or set the target\'s `binDir` to the directory holding its programs',
  });
}

/**
 * The OS user the server programs run as. initdb and postgres refuse to run as root, so when chaosdrill runs as root
 * (containers, CI) they are spawned with the uid/gid of `osUser` (default `postgres`, the user Debian's package
 * creates) and the directories they use are chowned to it. Otherwise they run as the current user.
 */
import { readFileSync } from 'node:fs';
import { chown } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { ChaosError, ExitCode } from '../../errors.js';

export interface OsUser {
  name: string;
  uid: number;
  gid: number;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function lookUp(name: string): OsUser | null {
  let passwd: string;
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return null;
  }
  for (const line of passwd.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined) return { name, uid: Number(uid), gid: Number(gid) };
  }
  return null;
}

/**
 * The user to spawn server programs as: null means "as this process" (not root, and `osUser` is this user or unset).
 */
export function serverUser(osUser: string | undefined): OsUser | null {
  const current = userInfo().username;
  if (!isRoot()) {
    if (osUser !== undefined && osUser !== current) {
      throw new ChaosError(`osUser "${osUser}" needs chaosdrill to run as root (it runs as ${current})`, {
        code: 'E_PG_OS_USER',
        exitCode: ExitCode.InvalidInput,
        hint: 'drop `osUser`, or run as root',
      });
    }
    return null;
  }
  const name = osUser ?? 'postgres';
  if (name === 'root') {
    throw new ChaosError('PostgreSQL\'s server programs refuse to run as root', {
      code: 'E_PG_OS_USER',
      exitCode: ExitCode.InvalidInput,
      hint: 'set `osUser` to an unprivileged user (default `postgres`)',
    });
  }
  const user = lookUp(name);
  if (user === null) {
    throw new ChaosError(`OS user "${name}" does not exist; PostgreSQL's server programs cannot run as root`, {
      code: 'E_PG_OS_USER',
      exitCode: ExitCode.Infrastructure,
      hint: 'install PostgreSQL (`apt-get install postgresql` creates the `postgres` user), or set `osUser`',
    });
  }
  return user;
}

/** Gives a path to the server user (no-op when programs run as this process). */
export async function giveTo(user: OsUser | null, path: string): Promise<void> {
  if (user !== null) await chown(path, user.uid, user.gid);
}

/**
 * The state directory (ledger, locks) and the run folder (journal, reports) as the file system sees them: a failure
 * there becomes one sentence a person can act on, exit code 5, instead of an internal error with a stack trace.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ChaosError, errnoCode, ExitCode } from '../errors.js';
import { isCode } from '../os/fsync.js';

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EEXIST: 'a file is in the way',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'the path has a symbolic-link loop',
  EIO: 'an I/O error',
};

/** The reason for a file-system error code, or null when `error` is not one we know how to explain. */
export function fileSystemReason(error: unknown): string | null {
  const code = errnoCode(error);
  return typeof code === 'string' ? (REASONS[code] ?? null) : null;
}

/** A ChaosError E_STATE_DIR_UNWRITABLE for a file-system failure under the state directory; other errors as they are. */
export function stateDirError(error: unknown, stateDir: string): unknown {
  const reason = fileSystemReason(error);
  if (reason === null || error instanceof ChaosError) return error;
  return new ChaosError(`cannot use the state directory ${stateDir} (${reason}), where the fault ledger and the locks live`, {
    code: 'E_STATE_DIR_UNWRITABLE',
    exitCode: ExitCode.Infrastructure,
    hint: 'pass --state-dir with a directory this user can write, or fix its permissions; nothing was injected',
    cause: error,
  });
}

/** A ChaosError E_RUN_DIR_UNWRITABLE for a file-system failure creating the run folder; other errors as they are. */
export function runDirError(error: unknown, runDir: string): unknown {
  const reason = fileSystemReason(error);
  if (reason === null || error instanceof ChaosError) return error;
  return new ChaosError(`cannot write the run folder ${runDir} (${reason})`, {
    code: 'E_RUN_DIR_UNWRITABLE',
    exitCode: ExitCode.Infrastructure,
    hint: 'pass -o with a directory this user can write; nothing was contacted',
    cause: error,
  });
}

/** The names in `<stateDir>/<sub>`; none when it does not exist yet. */
export async function listStateDir(stateDir: string, sub: string): Promise<string[]> {
  try {
    return await readdir(join(stateDir, sub));
  } catch (error) {
    if (isCode(error, 'ENOENT')) return [];
    throw stateDirError(error, stateDir);
  }
}

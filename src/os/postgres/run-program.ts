/**
 * Running PostgreSQL's programs with an argument array (never a shell), optionally as the server user, and turning
 * a failure into a ChaosError that quotes the program's own last words.
 */
import { execFile } from 'node:child_process';
import { basename } from 'node:path';
import { ChaosError, ExitCode } from '../../errors.js';
import type { OsUser } from './os-user.js';

export interface ProgramOptions {
  /** Extra environment (PGPASSWORD travels here, never in argv). */
  env?: Record<string, string>;
  user?: OsUser | null;
  timeoutMs?: number;
  signal?: AbortSignal;
  cwd?: string;
}

export interface ProgramResult {
  stdout: string;
  stderr: string;
}

export function runProgram(file: string, args: readonly string[], options: ProgramOptions = {}): Promise<ProgramResult> {
  const user = options.user ?? null;
  return new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      {
        env: { ...process.env, ...options.env, ...(user === null ? {} : { HOME: '/tmp', USER: user.name, LOGNAME: user.name }) },
        ...(user === null ? {} : { uid: user.uid, gid: user.gid }),
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        // The server user may not be able to read the runner's cwd.
        cwd: options.cwd ?? '/',
      },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ stdout, stderr });
          return;
        }
        const said = stderr.trim().split('\n').slice(-4).join(' | ');
        reject(
          new ChaosError(`${basename(file)} failed${said === '' ? `: ${error.message}` : `: ${said}`}`, {
            code: 'E_PG_PROGRAM_FAILED',
            exitCode: ExitCode.Failed,
            cause: error,
          }),
        );
      },
    );
  });
}

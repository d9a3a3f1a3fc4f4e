/**
 * `chaos journal verify <journal.json|run-folder>`: check the journal's hash chain.
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ExitCode } from '../errors.js';
import { readJournal, verifyJournal } from '../engine/journal.js';
import { Output, type CliIo } from './io.js';
import { reportError, type GlobalFlags } from './shared.js';

export function journalCommand(io: CliIo, setExit: (code: ExitCode) => void) {
  return {
    command: 'journal <verb> <path>',
    describe: 'journal tools: `chaos journal verify <journal.json|run folder>` checks the hash chain',
    builder: (y: Argv) =>
      y
        .positional('verb', { choices: ['verify'] as const, demandOption: true })
        .positional('path', { type: 'string', demandOption: true, describe: 'journal.json or the run folder holding it' }),
    handler: async (argv: unknown) => {
      const flags = argv as GlobalFlags & { path: string };
      const out = new Output(io, flags);
      try {
        let path = resolve(io.cwd, flags.path);
        if ((await stat(path).catch(() => null))?.isDirectory()) path = join(path, 'journal.json');
        const journal = await readJournal(path);
        const result = verifyJournal(journal);
        out.data({ path, ...result });
        if (result.ok) {
          out.result(`${out.green('intact')} ${flags.path}: ${result.entries} entries, head ${result.head}`);
          setExit(ExitCode.Ok);
        } else {
          out.result(`${out.red('TAMPERED')} ${flags.path}: ${result.seq === null ? '' : `entry ${result.seq}: `}${result.reason}`);
          setExit(ExitCode.Failed);
        }
      } catch (error) {
        setExit(reportError(out, error));
      }
    },
  };
}

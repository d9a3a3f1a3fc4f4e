/**
 * `chaos journal verify <journal.json|run-folder>`: check the journal's hash chain, and its head against the one
 * its run anchored in the fault ledger (which shows entries cut off the end and a recomputed chain).
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ExitCode } from '../errors.js';
import { readJournal, verifyJournal } from '../state/journal.js';
import { checkJournalAnchor } from '../state/journal-anchor.js';
import { withExamples } from './examples.js';
import { Output, type CliIo } from './io.js';
import type { GlobalFlags } from './options.js';
import { reportError } from './report-error.js';
import { commandBody, type CommandBody } from './command.js';
import { stateOf } from './state-option.js';

export function journalCommand(io: CliIo, setExit: (code: ExitCode) => void): CommandBody {
  return commandBody(
    (y: Argv<GlobalFlags>) =>
      withExamples(y, [
        ['chaos run experiments/pod-kill.yaml -o reports/pod-kill; chaos journal verify reports/pod-kill', 'check a run’s hash chain, and its head against the ledger'],
        ['chaos journal verify reports/pod-kill/journal.json --json', 'the same, by the journal’s path, as JSON'],
      ])
        .positional('verb', { choices: ['verify'] as const, demandOption: true })
        .positional('path', { type: 'string', demandOption: true, describe: 'journal.json or the run folder holding it' }),
    async (flags: GlobalFlags & { path: string }) => {
      const out = new Output(io, flags);
      try {
        let path = resolve(io.cwd, flags.path);
        if ((await stat(path).catch(() => null))?.isDirectory()) path = join(path, 'journal.json');
        const journal = await readJournal(path);
        const result = verifyJournal(journal);
        const anchor = result.ok ? await checkJournalAnchor(journal, result, [await stateOf(io, flags)]) : null;
        const torn = journal.tornTail === true;
        out.data({ path, ...result, anchor, tornTail: torn });
        if (!result.ok) {
          out.result(`${out.red('TAMPERED')} ${flags.path}: ${result.seq === null ? '' : `entry ${result.seq}: `}${result.reason}`);
          setExit(ExitCode.Failed);
        } else if (anchor?.anchored === true && !anchor.ok) {
          out.result(`${out.red('TAMPERED')} ${flags.path}: ${anchor.reason} (${anchor.ledger})`);
          setExit(ExitCode.Failed);
        } else {
          const tornNote = torn ? '; its last write was torn (the runner died mid-write)' : '';
          const anchorNote =
            anchor?.anchored === true
              ? `, matching the head anchored in ${anchor.ledger}`
              : `; not anchored (${anchor?.reason ?? 'unknown'}), so entries cut off its end would not show`;
          out.result(`${out.green('intact')} ${flags.path}: ${result.entries} entries, head ${result.head}${anchorNote}${tornNote}`);
          setExit(ExitCode.Ok);
        }
      } catch (error) {
        setExit(reportError(out, error));
      }
    },
  );
}

/**
 * A run's folder and its journal: claimed when the run starts, never taken from another run, and closed at the end
 * with the journal's head anchored in the fault ledger.
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ChaosError, ExitCode } from '../errors.js';
import type { Json } from '../json.js';
import type { Logger } from '../logger.js';
import { isCode } from '../os/fsync.js';
import { JournalWriter } from './journal.js';
import type { Ledger } from './ledger.js';
import { runDirError } from './state-dir.js';

/** How many `<folder>-N` siblings a default folder name may try before giving up. */
const MAX_SIBLINGS = 100;

export interface RunFolder {
  dir: string;
  journalPath: string;
  journal: JournalWriter;
}

/**
 * Creates `runDir` and its journal. A folder that already holds a journal belongs to another run and is never
 * written into: with `unique` (a default folder name, which two runs in one second share) the next free
 * `<runDir>-2`, `-3`… is used; without (the user named it) it is an input error. File-system failures are exit 5.
 */
export async function openRunFolder(runDir: string, options: { unique: boolean; redact: (value: Json) => Json }): Promise<RunFolder> {
  for (let n = 1; n <= (options.unique ? MAX_SIBLINGS : 1); n++) {
    const dir = n === 1 ? runDir : `${runDir}-${n}`;
    const journalPath = join(dir, 'journal.json');
    try {
      await mkdir(dir, { recursive: true });
      return { dir, journalPath, journal: await JournalWriter.create(journalPath, { redact: options.redact }) };
    } catch (error) {
      if (isCode(error, 'EEXIST') && (await isDirectory(dir))) continue;
      throw runDirError(error, dir);
    }
  }
  throw new ChaosError(`the run folder ${runDir} already holds the journal of another run`, {
    code: 'E_RUN_DIR_TAKEN',
    exitCode: ExitCode.InvalidInput,
    hint: options.unique ? `remove old run folders next to it` : 'pass another -o (a run folder is never overwritten), or remove that folder; nothing was contacted',
  });
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/**
 * Ends the run's record: anchors the journal's head in the ledger (when the run got as far as opening one), so
 * `chaos journal verify` notices entries cut off the end or a recomputed chain, then closes the journal.
 */
export async function closeRunFolder(folder: RunFolder, ledger: Ledger | null, logger: Logger): Promise<void> {
  await folder.journal.close().catch((error: unknown) => logger.warn(`journal: ${String(error)}`));
  if (ledger === null) return;
  const { entries, hash } = folder.journal.head;
  await ledger.anchorJournal({ path: folder.journalPath, entries, head: hash }).catch((error: unknown) => logger.warn(`ledger: could not anchor the journal: ${String(error)}`));
}

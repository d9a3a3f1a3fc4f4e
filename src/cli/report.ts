/**
 * `chaos report <run-folder|journal.json> [--format html,md,junit] [-o dir]`: renders a run's reports again from
 * its journal (after an upgrade, or for a run whose reports were not written).
 */
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ExitCode } from '../errors.js';
import { parseReportFormats, REPORT_FORMATS, writeReportsFromJournal } from '../report/write-reports.js';
import { withExamples } from './examples.js';
import { Output, type CliIo } from './io.js';
import type { GlobalFlags } from './options.js';
import { reportError } from './report-error.js';
import { commandBody, type CommandBody } from './command.js';

export function reportCommand(io: CliIo, setExit: (code: ExitCode) => void): CommandBody {
  return commandBody(
    (y: Argv<GlobalFlags>) =>
      withExamples(y, [
        ['chaos run experiments/pod-kill.yaml -o reports/pod-kill; chaos report reports/pod-kill --format html', 'render a run’s report.html again from its journal'],
        ['chaos report reports/pod-kill/journal.json --format md,junit -o reports/pod-kill-again', 'Markdown and JUnit into another folder'],
      ])
        .positional('path', { type: 'string', demandOption: true, describe: 'the run folder or its journal.json' })
        .option('format', { alias: 'f', type: 'string', array: true, default: [REPORT_FORMATS.join(',')], describe: `formats: ${REPORT_FORMATS.join(', ')} (comma-separated)` })
        .option('output', { alias: 'o', type: 'string', describe: 'where to write them (default: next to the journal)' }),
    async (flags: GlobalFlags & { path: string; format: string[]; output?: string }) => {
      const out = new Output(io, flags);
      try {
        const formats = parseReportFormats(flags.format);
        let journalPath = resolve(io.cwd, flags.path);
        if ((await stat(journalPath).catch(() => null))?.isDirectory()) journalPath = join(journalPath, 'journal.json');
        const dir = flags.output ? resolve(io.cwd, flags.output) : dirname(journalPath);
        const written = await writeReportsFromJournal(journalPath, dir, formats);
        for (const path of Object.values(written.paths)) out.result(path);
        out.data({ ok: true, reports: written.paths });
        setExit(ExitCode.Ok);
      } catch (error) {
        setExit(reportError(out, error));
      }
    },
  );
}

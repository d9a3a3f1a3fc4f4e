/**
 * Writes a run's reports into its folder from its journal: `report.md`, `report.html`, `junit.xml`, and
 * `runbook.md` when the experiment has a runbook. Used by `chaos run` at the end of a run and by `chaos report`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ChaosError, ExitCode, messageOf } from '../errors.js';
import { readJournal } from '../state/journal.js';
import { renderHtml } from './html.js';
import { viewJournal, type JournalView } from './journal-view.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderRunbook } from './runbook.js';

export const REPORT_FORMATS = ['html', 'md', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_FILES: Record<ReportFormat, string> = { html: 'report.html', md: 'report.md', junit: 'junit.xml' };

/** Parses `--format html,md` (also `chaos run --report`, its old name); `none` selects nothing. */
export function parseReportFormats(values: readonly string[]): ReportFormat[] {
  const names = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  if (names.length === 1 && names[0] === 'none') return [];
  const known = names.flatMap((n) => REPORT_FORMATS.filter((format) => format === n));
  const unknown = names.filter((n) => !REPORT_FORMATS.some((format) => format === n));
  if (unknown.length > 0) {
    throw new ChaosError(`unknown report format${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}`, {
      code: 'E_REPORT_FORMAT',
      exitCode: ExitCode.InvalidInput,
      hint: `choose from ${REPORT_FORMATS.join(', ')} (comma-separated), or none`,
    });
  }
  return [...new Set(known)];
}

export interface WrittenReports {
  /** Format (and `runbook`) → absolute path. */
  paths: Partial<Record<ReportFormat | 'runbook', string>>;
  /** The Markdown, for $GITHUB_STEP_SUMMARY (null when md was not asked for). */
  markdown: string | null;
}

export async function writeReports(view: JournalView, dir: string, formats: readonly ReportFormat[]): Promise<WrittenReports> {
  const written: WrittenReports = { paths: {}, markdown: null };
  await mkdir(dir, { recursive: true });
  const render: Record<ReportFormat, (v: JournalView) => string> = { html: renderHtml, md: renderMarkdown, junit: renderJunit };
  for (const format of formats) {
    const text = render[format](view);
    const path = join(dir, REPORT_FILES[format]);
    await writeFile(path, text);
    written.paths[format] = path;
    if (format === 'md') written.markdown = text;
  }
  if (view.experiment.runbook !== null && formats.length > 0) {
    const path = join(dir, 'runbook.md');
    await writeFile(path, renderRunbook(view));
    written.paths.runbook = path;
  }
  return written;
}

/** Reads a journal and writes its reports next to it (or into `dir`). */
export async function writeReportsFromJournal(journalPath: string, dir: string, formats: readonly ReportFormat[]): Promise<WrittenReports> {
  const doc = await readJournal(journalPath);
  let view: JournalView;
  try {
    view = viewJournal(doc);
  } catch (error) {
    throw new ChaosError(`cannot render ${journalPath}: ${messageOf(error)}`, {
      code: 'E_JOURNAL_UNREADABLE',
      exitCode: ExitCode.InvalidInput,
      hint: 'the journal is incomplete: it must at least record the start of a run',
    });
  }
  return writeReports(view, dir, formats);
}

/**
 * Writes a game day's consolidated reports into its folder: index.html, junit.xml, summary.md, and gameday.json
 * (the result as data, for scripts and for the scheduler's log).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderGamedayHtml } from './index-html.js';
import { renderGamedayJunit } from './gameday-junit.js';
import type { GamedayResult } from './gameday-result.js';
import { renderGamedaySummary } from './summary-md.js';

export interface GamedayReports {
  paths: { html: string; junit: string; summary: string; json: string };
  /** The Markdown, for $GITHUB_STEP_SUMMARY. */
  summary: string;
}

export async function writeGamedayReports(result: GamedayResult): Promise<GamedayReports> {
  await mkdir(result.dir, { recursive: true });
  const paths = {
    html: join(result.dir, 'index.html'),
    junit: join(result.dir, 'junit.xml'),
    summary: join(result.dir, 'summary.md'),
    json: join(result.dir, 'gameday.json'),
  };
  const summary = renderGamedaySummary(result);
  await writeFile(paths.html, renderGamedayHtml(result));
  await writeFile(paths.junit, renderGamedayJunit(result));
  await writeFile(paths.summary, summary);
  await writeFile(paths.json, `${JSON.stringify(result, null, 2)}\n`);
  return { paths, summary };
}

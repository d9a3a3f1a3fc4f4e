/**
 * A whole game day, as `chaos gameday` and each tick of `chaos schedule` do it: run the plan, write the
 * consolidated reports, send the notifications. Reports and notifications never change the verdict.
 */
import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { sendNotifications, type NotificationResult } from './notify.js';
import type { LoadedPlan } from './load-plan.js';
import type { GamedayResult } from './gameday-result.js';
import { gamedayFolderName, runGameday, type GamedayOptions } from './run-gameday.js';
import { writeGamedayReports, type GamedayReports } from './write-gameday-reports.js';
import { messageOf } from '../errors.js';

export interface ConductOptions extends Omit<GamedayOptions, 'dir'> {
  cwd: string;
  /** The game-day folder; default `<plan.reports>/<timestamp>-<name>` under cwd. */
  dir?: string;
  /** $GITHUB_STEP_SUMMARY: summary.md is appended to it. */
  stepSummary?: string;
}

export interface ConductedGameday {
  result: GamedayResult;
  reports: GamedayReports | null;
  /** Set when the reports could not be written. */
  reportError: string | null;
  notifications: NotificationResult[];
}

export function defaultGamedayDir(loaded: LoadedPlan, cwd: string, at: Date): string {
  return resolve(cwd, loaded.plan.reports, gamedayFolderName(loaded.plan.name, at));
}

export async function conductGameday(loaded: LoadedPlan, options: ConductOptions): Promise<ConductedGameday> {
  const dir = options.dir ?? defaultGamedayDir(loaded, options.cwd, (options.now ?? (() => new Date()))());
  const result = await runGameday(loaded, { ...options, dir });
  let reports: GamedayReports | null = null;
  let reportError: string | null = null;
  try {
    reports = await writeGamedayReports(result);
    if (options.stepSummary) await appendFile(options.stepSummary, `${reports.summary}\n`);
  } catch (error) {
    reportError = messageOf(error);
  }
  const notifications = await sendNotifications(loaded.plan.notify, result, loaded.sensitiveValues);
  return { result, reports, reportError, notifications };
}

/**
 * Notifications at the end of a game day: a webhook gets the results as JSON; Slack (or anything that takes a
 * Slack incoming-webhook payload) gets `{ text, blocks }`. A notification that fails is reported and never changes
 * the game day's verdict. URLs and headers may hold secrets: messages name a notification by its index and type
 * only, and anything quoted from an error passes through the redactor.
 */
import { createRedactor } from '../experiment/redact.js';
import type { Json } from '../json.js';
import { formatScore, VERDICT_WORD, type GamedayResult } from './gameday-result.js';
import type { Notification } from './plan-schema.js';
import { objectiveCell } from './report-format.js';
import { messageOf } from '../errors.js';
// fetch goes through undici 7's pool, not Node's bundled one (see there).
import '../os/fetch-dispatcher.js';

/** A notification that takes longer than this is reported as failed: the game day is over and should exit. */
const NOTIFY_TIMEOUT_MS = 10_000;

export interface NotificationResult {
  /** `notify[0] (webhook)`: never the URL. */
  label: string;
  ok: boolean;
  /** `HTTP 200`, or what went wrong. */
  message: string;
}

/** The JSON body a webhook receives. */
export function webhookBody(result: GamedayResult): Json {
  return {
    kind: 'chaosdrill.gameday',
    name: result.name,
    title: result.title,
    startedAt: result.startedAt,
    endedAt: result.endedAt,
    exitCode: result.exitCode,
    reason: result.reason,
    blackout: result.blackout,
    score: result.score.value,
    scoreFormula: result.score.formula,
    reportDir: result.dir,
    experiments: result.experiments.map((o) => ({
      name: o.name,
      file: o.file,
      verdict: o.verdict,
      exitCode: o.exitCode,
      reason: o.reason,
      durationMs: o.durationMs,
      weight: o.weight,
      objectives: o.objectives.map((x) => ({ name: x.name, kind: x.kind, passed: x.passed, value: x.value, unit: x.unit, message: x.message })),
    })),
  };
}

/** The Slack-compatible payload: `text` for notifications and clients without blocks, `blocks` for the rest. */
export function slackBody(result: GamedayResult): Json {
  const icon = result.blackout !== null ? ':double_vertical_bar:' : result.exitCode === 0 ? ':white_check_mark:' : ':x:';
  const text = `${icon} Game day ${result.title}: ${result.reason}; resilience score ${formatScore(result.score.value)} (exit ${result.exitCode})`;
  const lines = result.experiments.map((o) => {
    const rto = objectiveCell(o, 'rto');
    return `• *${slackEscape(o.name)}*: ${VERDICT_WORD[o.verdict]}${o.verdict === 'passed' ? '' : ` (${slackEscape(o.reason)})`}${rto === '–' ? '' : `; RTO ${slackEscape(rto)}`}`;
  });
  return {
    text,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `Game day: ${result.title}`.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: slackEscape(text) } },
      { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n').slice(0, 3000) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Report: ${slackEscape(result.dir)}/index.html` }] },
    ],
  };
}

/** Slack's three control characters. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Sends every notification, one after the other; never throws. */
export async function sendNotifications(
  notifications: readonly Notification[],
  result: GamedayResult,
  sensitiveValues: readonly string[],
): Promise<NotificationResult[]> {
  const redact = createRedactor(sensitiveValues);
  const results: NotificationResult[] = [];
  for (const [index, n] of notifications.entries()) {
    const label = `notify[${index}] (${n.type})`;
    const body = n.type === 'slack' ? slackBody(result) : webhookBody(result);
    const headers = { 'content-type': 'application/json', 'user-agent': 'chaosdrill', ...(n.type === 'webhook' ? n.headers : {}) };
    try {
      const response = await fetch(n.url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(NOTIFY_TIMEOUT_MS), redirect: 'error' });
      await response.arrayBuffer().catch(() => undefined);
      results.push({ label, ok: response.ok, message: `HTTP ${response.status}` });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      results.push({ label, ok: false, message: redact(`${messageOf(error)}${cause}`) });
    }
  }
  return results;
}

/**
 * The game-day plan format (version 1), described once, in zod: validation, the plan's TypeScript type and the JSON
 * Schema committed as `schema/gameday.schema.json` all come from here. A plan names experiment files; it never
 * contains steps itself.
 */
import { Cron } from 'croner';
import { z } from 'zod';
import { calendarDurationSchema } from '../units/duration.js';
import { jsonSchemaForEditors } from '../experiment/json-schema-for-editors.js';
import { NAME_PATTERN } from '../experiment/schema.js';
import { messageOf } from '../errors.js';

/** What stops a game day early: the first run that did not pass, or nothing. */
export const STOP_POLICIES = ['first-failure', 'never'] as const;

/** The parent folder of game-day folders (`<reports>/<timestamp>-<name>/`), relative to the current directory. */
export const DEFAULT_REPORTS_DIR = 'reports/gamedays';

const name = z.string().regex(NAME_PATTERN, { error: 'expected lowercase letters, digits, ".", "_" or "-", e.g. weekly-gameday' });

/** A cron expression croner accepts: 5 fields, or 6 with seconds first. */
const cronExpression = z
  .string()
  .min(1)
  .superRefine((expr, ctx) => {
    try {
      new Cron(expr, { paused: true });
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: `"${expr}" is not a cron expression: ${messageOf(error)}`,
        params: { code: 'E_CRON', hint: 'five fields (minute hour day month weekday), or six with seconds first: "0 0 9 * * 1"' },
      });
    }
  })
  .meta({ description: 'A cron expression: 5 fields, or 6 with seconds first', examples: ['0 9 * * 1'] });

/** An IANA time zone (Europe/Berlin); checked against the runtime's time-zone database. */
const timezone = z
  .string()
  .superRefine((tz, ctx) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${tz}" is not a known time zone`, params: { code: 'E_TIMEZONE', hint: 'use an IANA name such as Europe/Berlin or UTC' } });
    }
  })
  .meta({ description: 'An IANA time zone, e.g. Europe/Berlin (default UTC)' });

const isoTime = z.iso.datetime({ offset: true }).meta({ description: 'An ISO 8601 time with a zone, e.g. 2026-12-24T00:00:00+01:00' });

const varValue = z.union([z.string(), z.number(), z.boolean()]);

const experimentEntry = z.strictObject({
  path: z.string().min(1).meta({ description: 'The experiment file, relative to the plan file' }),
  name: name.optional().meta({ description: "Shown in reports; default: the experiment's own name" }),
  vars: z.record(z.string(), varValue).default({}).meta({ description: 'vars.NAME for the experiment, as --var would set them' }),
  weight: z.number().positive().default(1).meta({ description: "The experiment's weight in the resilience score" }),
});

/**
 * A blackout: a window in which nothing may start. Either recurring (`cron` + `duration`: the window opens at each
 * occurrence of the cron expression in `timezone` and lasts `duration`), or absolute (`from` ≤ t < `to`).
 */
const blackout = z
  .strictObject({
    name: z.string().min(1),
    cron: cronExpression.optional(),
    duration: calendarDurationSchema.optional(),
    timezone: timezone.optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
  })
  .superRefine((b, ctx) => {
    const recurring = b.cron !== undefined || b.duration !== undefined;
    const absolute = b.from !== undefined || b.to !== undefined;
    const hint = 'write either { name, cron, duration, timezone } or { name, from, to }';
    if (recurring && absolute) {
      ctx.addIssue({ code: 'custom', message: 'a blackout is either recurring (cron, duration) or absolute (from, to), not both', params: { code: 'E_BLACKOUT', hint } });
    } else if (recurring && (b.cron === undefined || b.duration === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'a recurring blackout needs both cron and duration', params: { code: 'E_BLACKOUT', hint } });
    } else if (absolute && (b.from === undefined || b.to === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'an absolute blackout needs both from and to', params: { code: 'E_BLACKOUT', hint } });
    } else if (!recurring && !absolute) {
      ctx.addIssue({ code: 'custom', message: 'a blackout needs a window', params: { code: 'E_BLACKOUT', hint } });
    } else if (absolute && Date.parse(b.from!) >= Date.parse(b.to!)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` must be after `from`', params: { code: 'E_BLACKOUT' } });
    } else if (b.timezone !== undefined && absolute) {
      ctx.addIssue({ code: 'custom', path: ['timezone'], message: 'timezone applies to recurring blackouts; from/to carry their own offset', params: { code: 'E_BLACKOUT' } });
    }
  });

const webhook = z.strictObject({
  type: z.literal('webhook'),
  url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).meta({ description: 'May use ${env.X} and ${secrets.X}' }),
  headers: z.record(z.string(), z.string()).default({}).meta({ description: 'May use ${env.X} and ${secrets.X}; never logged' }),
});
const slack = z.strictObject({
  type: z.literal('slack'),
  url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).meta({ description: 'A Slack incoming-webhook URL; usually ${secrets.X}' }),
});

const secretSource = z.strictObject({ env: z.string().min(1).meta({ description: 'The environment variable holding the value' }) });

export const gamedayPlanSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1),
  name,
  title: z.string().min(1),
  description: z.string().optional(),
  experiments: z.array(experimentEntry).min(1),
  stopOn: z.enum(STOP_POLICIES).default('first-failure').meta({ description: 'first-failure: the runs after a run that did not pass are "not run"' }),
  blackouts: z.array(blackout).default([]),
  schedule: z.strictObject({ cron: cronExpression, timezone: timezone.default('UTC') }).optional(),
  secrets: z.record(z.string(), secretSource).default({}).meta({ description: 'Values for ${secrets.NAME} in notify; never written anywhere' }),
  notify: z.array(z.discriminatedUnion('type', [webhook, slack])).default([]),
  reports: z.string().min(1).default(DEFAULT_REPORTS_DIR).meta({ description: 'Parent folder of the game-day folders <timestamp>-<name>/' }),
});

export type GamedayPlan = z.output<typeof gamedayPlanSchema>;
export type PlanExperiment = GamedayPlan['experiments'][number];
export type Blackout = GamedayPlan['blackouts'][number];
export type Notification = GamedayPlan['notify'][number];

/** The JSON Schema of plan files (what editors use), generated from the zod schema. */
export function gamedayJsonSchema(): object {
  return jsonSchemaForEditors(gamedayPlanSchema, {
    $id: 'https://chaosdrill.dev/schema/gameday.schema.json',
    title: 'chaosdrill game-day plan',
    definitions: new Map(),
    // Only notify is subject to substitution (load-plan.ts).
    substitutedKeys: (key) => key === 'notify',
  });
}

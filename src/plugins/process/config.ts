/**
 * The settings of a `process` target: exactly one of `command` (the run starts and manages the process), `pid`, or
 * `pidFile` (re-read on every use, as supervisors rewrite it).
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { durationSchema } from '../../units/duration.js';
import { defineTarget } from '../api.js';

const readySchema = z
  .object({
    port: z.number().int().min(1).max(65535),
    host: z.string().min(1).default('127.0.0.1'),
    timeout: durationSchema.prefault('10s'),
  })
  .strict()
  .describe('wait until the started process accepts TCP connections on host:port');

export const processConfigSchema = z
  .object({
    command: z.array(z.string().min(1)).min(1).optional().describe('argv of a process the run starts and manages'),
    cwd: z.string().min(1).optional().describe('working directory of the managed command'),
    env: z.record(z.string(), z.string()).optional().describe('extra environment variables of the managed command'),
    ready: readySchema.optional(),
    pid: z.number().int().positive().optional().describe('an existing process'),
    pidFile: z.string().min(1).optional().describe('a file holding the PID of an existing process; re-read on every use'),
  })
  .strict()
  .superRefine((config, ctx) => {
    const given = (['command', 'pid', 'pidFile'] as const).filter((k) => config[k] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: given.length > 1 ? [given[1]] : [],
        message:
          given.length === 0
            ? 'a process target needs exactly one of `command` (start it), `pid` or `pidFile`'
            : `a process target takes exactly one of \`command\`, \`pid\` or \`pidFile\`, not ${given.map((k) => `\`${k}\``).join(' and ')}`,
        params: { code: 'E_PROCESS_TARGET' },
      });
    }
    if (config.command === undefined) {
      for (const key of ['cwd', 'env', 'ready'] as const) {
        if (config[key] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `\`${key}\` applies only to a process started with \`command\``,
            params: { code: 'E_PROCESS_TARGET' },
          });
        }
      }
    }
  });

export type ProcessConfig = z.output<typeof processConfigSchema>;

/** Identifies the real process a config points at, for locks and the ledger. */
export function processTargetKey(config: ProcessConfig): string {
  if (config.command !== undefined) {
    return `process:command:${JSON.stringify(config.command)}+${resolve(config.cwd ?? '.')}`;
  }
  if (config.pid !== undefined) return `process:pid:${config.pid}`;
  return `process:pidFile:${resolve(config.pidFile ?? '')}`;
}

/** The `process` target kind. Its faults signal PIDs of the runner's host, so only a recover there reverts them. */
export const processTarget = defineTarget({
  config: processConfigSchema,
  attributes: ['pid'],
  targetKey: processTargetKey,
  hostLocal: true,
});

/**
 * Parameters shared by the `command` probe and action. Commands take an argument array and run without a shell;
 * a shell only with `shell: true` (then `run` is one string).
 */
import { z } from 'zod';
import { durationSchema } from '../../units/duration.js';
import { toleranceSchema } from '../../units/tolerance-schema.js';

const expectSchema = z
  .object({
    exitCode: toleranceSchema.optional().describe('default 0'),
    stdout: toleranceSchema.optional().describe('compared without the final newline'),
    stderr: toleranceSchema.optional().describe('compared without the final newline'),
  })
  .strict();

export const commandParamsSchema = z
  .object({
    run: z
      .union([z.array(z.string()).min(1), z.string().min(1)])
      .describe('argv, e.g. [./scripts/restore.sh, --region, a]; a string only with shell: true'),
    shell: z.boolean().default(false),
    cwd: z.string().min(1).optional(),
    env: z.record(z.string(), z.string()).optional().describe('added to the runner\'s environment'),
    timeout: durationSchema.prefault('30s'),
    expect: expectSchema.optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (typeof p.run === 'string' && !p.shell) {
      ctx.addIssue({
        code: 'custom',
        path: ['run'],
        message: '`run` is a string but `shell` is not true: give an argument array (run: [./script.sh, --flag]) or set `shell: true`',
        params: { code: 'E_COMMAND_STRING' },
      });
    }
    if (Array.isArray(p.run) && p.shell) {
      ctx.addIssue({
        code: 'custom',
        path: ['run'],
        message: 'with `shell: true`, give `run` as one string (the shell command line)',
        params: { code: 'E_COMMAND_SHELL_ARRAY' },
      });
    }
  });

export type CommandParams = z.output<typeof commandParamsSchema>;

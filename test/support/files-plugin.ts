/**
 * A plugin whose "system" is a directory, for testing the engine in-process: a fault creates a flag file and its
 * revert removes it, so a test can see exactly what is injected and whether it was reverted.
 */
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { defineAction, defineFault, defineProbe, type ChaosPlugin } from '../../src/plugins/api.js';
import { durationSchema } from '../../src/units/duration.js';

interface Session {
  dir: string;
}

async function log(dir: string, line: string): Promise<void> {
  await appendFile(join(dir, 'log'), `${line}\n`);
}

export const filesPlugin: ChaosPlugin<{ dir: string }, Session> = {
  name: 'files',
  description: 'A directory whose flag files stand for injected faults (tests only)',
  config: z.object({ dir: z.string() }).strict(),
  attributes: ['dir'],
  connect: async (config) => {
    await mkdir(config.dir, { recursive: true });
    return { session: { dir: config.dir }, attributes: { dir: config.dir } };
  },
  faults: [
    defineFault({
      type: 'files.flag',
      description: 'Creates a flag file; the revert removes it',
      params: z
        .object({
          flag: z.string(),
          failAfterChange: z.boolean().default(false),
          hang: z.boolean().default(false),
          revertFails: z.boolean().default(false),
        })
        .strict(),
      inject: async (session: Session, params, ctx) => {
        const path = join(session.dir, params.flag);
        await ctx.record({ path, revertFails: params.revertFails });
        await writeFile(path, 'injected');
        await log(session.dir, `inject ${params.flag}`);
        if (params.failAfterChange) throw new Error('inject failed after the change');
        if (params.hang) await new Promise(() => undefined);
        return { path, revertFails: params.revertFails };
      },
      revert: async (session, state) => {
        if (state['revertFails']) throw new Error('revert refused (test)');
        await rm(String(state['path']), { force: true });
        await log(session.dir, `revert ${String(state['path']).split('/').at(-1)}`);
      },
    }),
  ],
  probes: [
    defineProbe({
      type: 'files.absent',
      description: 'The flag file does not exist',
      needsTarget: true,
      params: z.object({ flag: z.string() }).strict(),
      run: async (session: Session | undefined, params) => {
        const present = await readFile(join(session!.dir, params.flag)).then(
          () => true,
          () => false,
        );
        return { ok: !present, message: present ? `${params.flag} present` : `${params.flag} absent`, output: { present } };
      },
    }),
  ],
  actions: [
    defineAction({
      type: 'files.log',
      description: 'Appends a line to the log',
      needsTarget: true,
      params: z.object({ line: z.string(), durationMs: durationSchema.optional() }).strict(),
      run: async (session: Session | undefined, params, ctx) => {
        if (params.durationMs) await new Promise((r) => setTimeout(r, params.durationMs));
        await log(session!.dir, params.line);
        void ctx;
        return null;
      },
    }),
    defineAction({
      type: 'files.hang',
      description: 'Never finishes (ignores its signal)',
      needsTarget: false,
      params: z.object({}).strict(),
      run: () => new Promise(() => undefined),
    }),
  ],
};

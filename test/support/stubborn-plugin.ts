/**
 * A plugin whose faults misbehave the way real plugins can, for the crash-safety tests: an inject that ignores its
 * abort signal and makes its change late (as a Toxiproxy or Kubernetes call in flight does), and a revert that
 * fails until the test lets it. The "system" is a directory: a fault is a flag file in it.
 */
import { access, appendFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { defineFault, type ChaosPlugin, type InjectContext } from '../../src/plugins/api.js';

interface Session {
  dir: string;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** Written in the system's log, one line per change, so a test sees the order of injects and reverts. */
async function log(dir: string, line: string): Promise<void> {
  await appendFile(join(dir, 'log'), `${line}\n`);
}

/** The changed-at time is known only once the change is made; the intent recorded before it has none. */
type StubbornState = { path: string; blocker: string | null; changedAt?: number };

export const stubbornPlugin: ChaosPlugin<{ dir: string }, Session> = {
  name: 'stubborn',
  description: 'Faults that ignore their signal or refuse to revert (tests only)',
  config: z.object({ dir: z.string() }).strict(),
  connect: async (config) => {
    await mkdir(config.dir, { recursive: true });
    return { session: { dir: config.dir }, attributes: {} };
  },
  faults: [
    defineFault({
      type: 'stubborn.flag',
      description: 'Creates a flag file; the revert removes it',
      params: z
        .object({
          flag: z.string(),
          /** The inject waits this long, deaf to its signal, before the change. */
          lateMs: z.number().int().min(0).default(0),
          /** Record the revert state only after the wait (a plugin that learns its state late). */
          recordAfterWait: z.boolean().default(false),
          /** The revert fails while this file exists in the directory. */
          revertBlockedBy: z.string().optional(),
        })
        .strict(),
      inject: async (session: Session, params, ctx: InjectContext<StubbornState>) => {
        const path = join(session.dir, params.flag);
        const state = { path, blocker: params.revertBlockedBy === undefined ? null : join(session.dir, params.revertBlockedBy) };
        if (!params.recordAfterWait) await ctx.record(state);
        if (params.lateMs > 0) await new Promise((resolve) => setTimeout(resolve, params.lateMs));
        if (params.recordAfterWait) await ctx.record(state);
        const changedAt = Date.now();
        await writeFile(path, `injected at ${changedAt}`);
        await log(session.dir, `inject ${params.flag}`);
        return { ...state, changedAt };
      },
      revert: async (session, state) => {
        if (typeof state['blocker'] === 'string' && (await exists(state['blocker']))) throw new Error('revert refused: the system is stuck (test)');
        await rm(String(state['path']), { force: true });
        await log(session.dir, `revert ${String(state['path']).split('/').at(-1)}`);
      },
    }),
  ],
};

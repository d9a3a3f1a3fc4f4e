/**
 * A plugin whose faults tell a ground-truth server (./ground-truth-server.ts) to misbehave in a known way, so that
 * t0 (the fault finished injecting) and the server's real outage are both known. Reverts keep a log of when they ran.
 */
import { z } from 'zod';
import type { ChaosPlugin } from '../../src/plugins/api.js';
import { durationSchema } from '../../src/units/duration.js';

interface Session {
  url: string;
  reverts: number[];
}

async function post(url: string): Promise<void> {
  const res = await fetch(url, { method: 'POST' });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
}

/** `reverts` receives the epoch ms of every revert, for "reverted within 1 s of the trip" assertions. */
export function groundTruthPlugin(reverts: number[] = []): ChaosPlugin {
  return {
    name: 'gt',
    description: 'A ground-truth test server',
    config: z.object({ url: z.string() }),
    connect: async (config: { url: string }) => ({ session: { url: config.url, reverts } satisfies Session, attributes: { url: config.url } }),
    attributes: ['url'],
    faults: [
      {
        type: 'gt.outage',
        description: 'The server answers 503 for exactly `for` from now',
        params: z.object({ for: durationSchema }),
        inject: async (s: Session, p: { for: number }, ctx) => {
          await ctx.record({});
          await post(`${s.url}/outage?ms=${p.for}`);
          return {};
        },
        revert: async (s: Session) => void s.reverts.push(Date.now()),
      },
      {
        type: 'gt.lose',
        description: 'The store drops the records acknowledged in the last `lag`',
        params: z.object({ lag: durationSchema }),
        inject: async (s: Session, p: { lag: number }, ctx) => {
          await ctx.record({});
          await post(`${s.url}/lose?ms=${p.lag}`);
          return {};
        },
        revert: async (s: Session) => void s.reverts.push(Date.now()),
      },
      {
        type: 'gt.errors',
        description: 'Every Nth request fails until reverted',
        params: z.object({ every: z.int().min(1) }),
        inject: async (s: Session, p: { every: number }, ctx) => {
          await ctx.record({});
          await post(`${s.url}/errors?every=${p.every}`);
          return {};
        },
        revert: async (s: Session) => {
          s.reverts.push(Date.now());
          await post(`${s.url}/errors?every=0`);
        },
      },
    ],
  };
}

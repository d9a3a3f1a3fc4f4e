/**
 * What every toxic fault shares: the proxy it applies to, the `stream` and `toxicity`, a unique toxic name
 * recorded before the toxic is added (so a revert after a crash finds it), and a revert that removes exactly that
 * toxic. Each fault file gives its own parameters and how they become Toxiproxy attributes.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { percentSchema } from '../../../units/percent.js';
import type { FaultType, InjectContext, ParamsSchema } from '../../api.js';
import { removeToxic, requireProxy } from '../client.js';
import type { ToxiproxySession } from '../session.js';

export type ToxicState = { proxy: string; toxic: string; type: string; stream: string };

/** The parameters every toxic fault takes, besides its own. */
export const commonToxicParams = {
  proxy: z.string().min(1).describe('the proxy name on the target'),
  stream: z.enum(['downstream', 'upstream']).default('downstream').describe('downstream: server → client; upstream: client → server'),
  toxicity: percentSchema.prefault(1).describe('the share of connections affected, rolled per connection'),
};

interface CommonParams {
  proxy: string;
  stream: 'downstream' | 'upstream';
  toxicity: number;
}

export interface ToxicFaultSpec<P extends CommonParams> {
  /** The fault's name after `toxiproxy.`, e.g. `reset-peer`. */
  name: string;
  /** Toxiproxy's toxic type, e.g. `reset_peer`. */
  toxicType: string;
  description: string;
  params: ParamsSchema;
  attributes(params: P): Record<string, number>;
  /** "200 ms ± 20 ms latency", for plans and logs. */
  summary(params: P): string;
}

export function toxicFault<P extends CommonParams>(spec: ToxicFaultSpec<P>): FaultType<ToxiproxySession, P, ToxicState> {
  const describe = (p: P) =>
    `${spec.summary(p)} on proxy ${p.proxy} (${p.stream}${p.toxicity < 1 ? `, ${Math.round(p.toxicity * 1000) / 10}% of connections` : ''})`;
  return {
    type: `toxiproxy.${spec.name}`,
    description: spec.description,
    params: spec.params,
    async plan(session, p) {
      let where = session.where;
      if (session.client !== null) {
        const proxy = await requireProxy(session.client, p.proxy, session.targetName);
        where = `${proxy.listen} → ${proxy.upstream}`;
      }
      return [
        {
          action: `add a ${spec.toxicType} toxic: ${describe(p)} [${where}]`,
          target: session.targetName,
          details: { proxy: p.proxy, type: spec.toxicType, stream: p.stream, toxicity: p.toxicity, attributes: spec.attributes(p) },
        },
      ];
    },
    async inject(session, p, ctx: InjectContext<ToxicState>) {
      const client = session.requireClient();
      const proxy = await requireProxy(client, p.proxy, session.targetName);
      const state: ToxicState = {
        proxy: p.proxy,
        toxic: `chaosdrill-${spec.toxicType}-${p.stream}-${randomBytes(4).toString('hex')}`,
        type: spec.toxicType,
        stream: p.stream,
      };
      await ctx.record(state);
      await proxy.addToxic({
        name: state.toxic,
        type: spec.toxicType as never,
        stream: p.stream,
        toxicity: p.toxicity,
        attributes: spec.attributes(p),
      });
      ctx.logger.info(`added toxic ${state.toxic}: ${describe(p)}`);
      return state;
    },
    async revert(session, state, ctx) {
      if (session.client === null) {
        // Only an embedded target under recover: its server, and the toxic, died with the run.
        ctx.logger.info(`toxic ${state.toxic} was on the embedded proxy of a run that is gone; nothing to remove`);
        return;
      }
      const removed = await removeToxic(session.client, state.proxy, state.toxic);
      ctx.logger.info(removed ? `removed toxic ${state.toxic} from proxy ${state.proxy}` : `toxic ${state.toxic} is already gone`);
    },
  };
}

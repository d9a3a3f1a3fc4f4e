/**
 * What every toxic fault shares: the proxy it applies to, the `stream` and `toxicity`, a unique toxic name
 * recorded before the toxic is added (so a revert after a crash finds it), and a revert that removes exactly that
 * toxic. Each fault file says how its parameters (declared in specs.ts) become a toxic and its attributes.
 */
import { randomBytes } from 'node:crypto';
import type { ToxicType } from 'toxiproxy-node-client';
import type { z } from 'zod';
import { defineFault, type FaultSpec, type FaultType, type InjectContext, type ParamsSchema } from '../../api.js';
import { removeToxic, requireProxy } from '../client.js';
import type { ToxiproxySession } from '../session.js';

export type ToxicState = { proxy: string; toxic: string; type: string; stream: string };

/** The parameters every toxic fault takes besides its own (see specs.ts). */
interface CommonParams {
  proxy: string;
  stream: 'downstream' | 'upstream';
  toxicity: number;
}

/** How one toxic fault becomes a Toxiproxy toxic. */
export interface ToxicSpec<P extends CommonParams> {
  /** Toxiproxy's toxic type, e.g. `reset_peer`. */
  toxicType: ToxicType;
  attributes(params: P): Record<string, number>;
  /** "200 ms ± 20 ms latency", for plans and logs. */
  summary(params: P): string;
}

export function toxicFault<Schema extends ParamsSchema & z.ZodType<CommonParams>>(
  fault: FaultSpec<Schema>,
  spec: ToxicSpec<z.output<Schema>>,
): FaultType<ToxiproxySession, z.output<Schema>, ToxicState> {
  type P = z.output<Schema>;
  const describe = (p: P) =>
    `${spec.summary(p)} on proxy ${p.proxy} (${p.stream}${p.toxicity < 1 ? `, ${Math.round(p.toxicity * 1000) / 10}% of connections` : ''})`;
  return defineFault({
    ...fault,
    async plan(session: ToxiproxySession, p: P) {
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
    async inject(session: ToxiproxySession, p: P, ctx: InjectContext<ToxicState>) {
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
        type: spec.toxicType,
        stream: p.stream,
        toxicity: p.toxicity,
        attributes: spec.attributes(p),
      });
      ctx.logger.info(`added toxic ${state.toxic}: ${describe(p)}`);
      return state;
    },
    async revert(session: ToxiproxySession, state, ctx) {
      if (session.client === null) {
        // Only an embedded target under recover: its server, and the toxic, died with the run.
        ctx.logger.info(`toxic ${state.toxic} was on the embedded proxy of a run that is gone; nothing to remove`);
        return;
      }
      const removed = await removeToxic(session.client, state.proxy, state.toxic);
      ctx.logger.info(removed ? `removed toxic ${state.toxic} from proxy ${state.proxy}` : `toxic ${state.toxic} is already gone`);
    },
  });
}

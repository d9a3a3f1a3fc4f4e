/**
 * `kubernetes.chaos-mesh`: creates a Chaos Mesh resource given inline (PodChaos, NetworkChaos, StressChaos, …) in
 * the target's namespace; revert deletes it, which makes Chaos Mesh's controllers undo the chaos. Without Chaos
 * Mesh installed the API server has no such kind and inject fails before anything changes.
 */
import type { JsonObject } from '../../../json.js';
import { defineFault, type InjectContext } from '../../api.js';
import { isNotFound } from '../api-error.js';
import { requireAllowedNamespace } from '../safety.js';
import type { KubernetesSession } from '../session.js';
import { chaosMeshSpec } from '../specs.js';

type ChaosMeshState = { namespace: string; apiVersion: string; kind: string; name: string };

const TYPE = chaosMeshSpec.type;

export const chaosMeshFault = defineFault({
  ...chaosMeshSpec,
  async plan(session: KubernetesSession, p) {
    requireAllowedNamespace(session, TYPE);
    return [{ action: `create ${p.kind} (${p.apiVersion}) in ${session.namespace}`, target: session.targetName, details: { spec: p.spec as JsonObject } }];
  },
  async inject(session: KubernetesSession, p, ctx: InjectContext<ChaosMeshState>) {
    requireAllowedNamespace(session, TYPE);
    const name = `chaosdrill-${p.kind.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}`;
    const state: ChaosMeshState = { namespace: session.namespace, apiVersion: p.apiVersion, kind: p.kind, name };
    await ctx.record(state);
    await session.call(`creating ${p.kind} ${name} (is Chaos Mesh installed?)`, () =>
      session.objects.create({ apiVersion: p.apiVersion, kind: p.kind, metadata: { name, namespace: session.namespace, annotations: { 'chaosdrill.dev/run': ctx.runId } }, spec: p.spec } as never));
    ctx.logger.info(`created ${p.kind} ${name}`);
    return state;
  },
  async revert(session: KubernetesSession, state, ctx) {
    try {
      await session.objects.delete({ apiVersion: state.apiVersion, kind: state.kind, metadata: { name: state.name, namespace: state.namespace } });
      ctx.logger.info(`deleted ${state.kind} ${state.name}`);
    } catch (error) {
      if (!isNotFound(error)) await session.call(`deleting ${state.kind} ${state.name}`, () => Promise.reject(error));
    }
  },
});

/**
 * `kubernetes.scale`: scales a Deployment or StatefulSet to N replicas through its scale subresource; revert
 * restores the replica count recorded before the change.
 */
import * as k8s from '@kubernetes/client-node';
import { defineFault, type InjectContext } from '../../api.js';
import { checkBlastRadius, requireAllowedNamespace } from '../safety.js';
import { patchAs, type KubernetesSession } from '../session.js';
import { scaleSpec } from '../specs.js';

type ScaleState = { namespace: string; kind: string; name: string; previous: number; replicas: number };

const TYPE = scaleSpec.type;

async function readReplicas(session: KubernetesSession, kind: string, name: string, namespace: string): Promise<number> {
  const scale = await session.call(`reading the scale of ${kind} ${name}`, () =>
    kind === 'StatefulSet' ? session.apps.readNamespacedStatefulSetScale({ name, namespace }) : session.apps.readNamespacedDeploymentScale({ name, namespace }));
  return scale.spec?.replicas ?? 0;
}

async function writeReplicas(session: KubernetesSession, kind: string, name: string, namespace: string, replicas: number): Promise<void> {
  const body = { spec: { replicas } };
  const options = patchAs(k8s.PatchStrategy.MergePatch);
  await session.call(`scaling ${kind} ${name} to ${replicas}`, () =>
    kind === 'StatefulSet'
      ? session.apps.patchNamespacedStatefulSetScale({ name, namespace, body }, options)
      : session.apps.patchNamespacedDeploymentScale({ name, namespace, body }, options));
}

export const scaleFault = defineFault({
  ...scaleSpec,
  async plan(session: KubernetesSession, p) {
    requireAllowedNamespace(session, TYPE);
    const previous = await readReplicas(session, p.kind, p.name, session.namespace);
    if (p.replicas < previous) checkBlastRadius(session, TYPE, previous - p.replicas, previous);
    return [{ action: `scale ${p.kind} ${session.namespace}/${p.name} from ${previous} to ${p.replicas} replicas`, target: session.targetName, details: { previous, replicas: p.replicas } }];
  },
  async inject(session: KubernetesSession, p, ctx: InjectContext<ScaleState>) {
    requireAllowedNamespace(session, TYPE);
    const previous = await readReplicas(session, p.kind, p.name, session.namespace);
    if (p.replicas < previous) checkBlastRadius(session, TYPE, previous - p.replicas, previous);
    const state: ScaleState = { namespace: session.namespace, kind: p.kind, name: p.name, previous, replicas: p.replicas };
    await ctx.record(state);
    await writeReplicas(session, p.kind, p.name, session.namespace, p.replicas);
    ctx.logger.info(`scaled ${p.kind} ${p.name} from ${previous} to ${p.replicas}`);
    return state;
  },
  async revert(session: KubernetesSession, state, ctx) {
    // Idempotent: setting the recorded count again is harmless.
    await writeReplicas(session, state.kind, state.name, state.namespace, state.previous);
    ctx.logger.info(`restored ${state.kind} ${state.name} to ${state.previous} replicas`);
  },
});

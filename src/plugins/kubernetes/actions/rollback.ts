/**
 * `kubernetes.rollback`: rolls a Deployment back as `kubectl rollout undo` does: the ReplicaSets it controls carry
 * `deployment.kubernetes.io/revision`; the target is the given revision, or the newest one older than the current;
 * its pod template (without the pod-template-hash label) replaces the Deployment's with a JSON patch, and the
 * controller renumbers that ReplicaSet as the newest revision. Then it waits for the rollout; the output carries the
 * time to roll back.
 */
import * as k8s from '@kubernetes/client-node';
import { defineAction } from '../../api.js';
import { checkBudget, readDeployment, waitForRollout } from '../rollout.js';
import { patchAs, type KubernetesSession } from '../session.js';
import { rollbackSpec } from '../specs.js';

const REVISION = 'deployment.kubernetes.io/revision';

/** Templates compared without the label the controller adds, as kubectl does before it skips a no-op rollback. */
function withoutHash(template: k8s.V1PodTemplateSpec): k8s.V1PodTemplateSpec {
  const copy = structuredClone(template);
  if (copy.metadata?.labels) delete copy.metadata.labels['pod-template-hash'];
  return copy;
}

export const rollbackAction = defineAction({
  ...rollbackSpec,
  async run(session: KubernetesSession | undefined, p, ctx) {
    if (session === undefined) throw new Error('kubernetes.rollback needs a target');
    const d = await readDeployment(session, p.deployment);
    const uid = d.metadata?.uid;
    const list = await session.call(`listing the ReplicaSets of ${p.deployment}`, () =>
      session.apps.listNamespacedReplicaSet({ namespace: session.namespace }));
    const owned = list.items.filter((rs) => (rs.metadata?.ownerReferences ?? []).some((o) => o.controller === true && o.uid === uid));
    const byRevision = new Map<number, k8s.V1ReplicaSet>();
    for (const rs of owned) byRevision.set(Number(rs.metadata?.annotations?.[REVISION] ?? 0), rs);
    const current = Math.max(0, ...byRevision.keys());
    const target = p.toRevision ?? Math.max(0, ...[...byRevision.keys()].filter((r) => r < current));
    const rs = byRevision.get(target);
    if (rs === undefined || target === 0) {
      const known = [...byRevision.keys()].sort((a, b) => a - b).join(', ') || 'none';
      throw new Error(p.toRevision === undefined
        ? `deployment ${p.deployment} has no previous revision to roll back to (revisions: ${known})`
        : `deployment ${p.deployment} has no revision ${p.toRevision} (revisions: ${known})`);
    }
    const template = withoutHash(rs.spec?.template ?? {});
    if (JSON.stringify(template) === JSON.stringify(withoutHash(d.spec?.template ?? {}))) {
      ctx.logger.info(`deployment ${p.deployment}: skipped rollback, the current template already matches revision ${target}`);
      return { deployment: p.deployment, fromRevision: current, toRevision: target, skipped: true, revision: String(current), rollbackMs: 0 };
    }
    const startedAt = Date.now();
    await session.call(`rolling back ${p.deployment} to revision ${target}`, () =>
      session.apps.patchNamespacedDeployment(
        { name: p.deployment, namespace: session.namespace, body: [{ op: 'replace', path: '/spec/template', value: template }] },
        patchAs(k8s.PatchStrategy.JsonPatch),
      ));
    ctx.logger.info(`deployment ${p.deployment}: rolling back from revision ${current} to revision ${target}`);
    const after = await waitForRollout(session, p.deployment, p.timeout, ctx.logger, ctx.signal);
    const rollbackMs = Date.now() - startedAt;
    checkBudget(`rolling ${p.deployment} back to revision ${target}`, rollbackMs, p.maxDuration);
    return {
      deployment: p.deployment, fromRevision: current, toRevision: target, skipped: false,
      revision: after.metadata?.annotations?.[REVISION] ?? null, rollbackMs,
    };
  },
});

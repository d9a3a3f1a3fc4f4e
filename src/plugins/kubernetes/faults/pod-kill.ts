/**
 * `kubernetes.pod-kill`: deletes the selected pods (their controllers replace them). The pods are chosen at random
 * with a seed, and the exact pods are recorded in the ledger before the first delete, so the journal says which
 * pods were killed. There is nothing to undo: revert only reports whether replacements are back.
 */
import { isNotFound } from '../api-error.js';
import { defineFault, type InjectContext, type ParamsOf } from '../../api.js';
import { listPods } from '../pods.js';
import { checkBlastRadius, requireAllowedNamespace } from '../safety.js';
import { newSeed } from '../../shared/seeded-shuffle.js';
import { describeSelection, selectNames } from '../../shared/selection.js';
import type { KubernetesSession } from '../session.js';
import { podKillSpec } from '../specs.js';
import { messageOf } from '../../../errors.js';

type PodKillParams = ParamsOf<typeof podKillSpec>;

type PodKillState = {
  namespace: string;
  labelSelector: string;
  seed: number;
  select: string;
  matched: number;
  pods: { name: string; uid: string; node: string | null }[];
  gracePeriodSeconds: number | null;
};

const TYPE = podKillSpec.type;

async function choose(session: KubernetesSession, p: PodKillParams, seed: number) {
  const pods = await listPods(session, p.labelSelector, p.fieldSelector);
  const chosen = new Set(selectNames(pods.map((pod) => pod.metadata?.name ?? ''), p.select, seed));
  return { matched: pods.length, chosen: pods.filter((pod) => chosen.has(pod.metadata?.name ?? '')) };
}

export const podKillFault = defineFault({
  ...podKillSpec,
  async plan(session: KubernetesSession, p) {
    requireAllowedNamespace(session, TYPE);
    const seed = p.seed ?? newSeed();
    const { matched, chosen } = await choose(session, p, seed);
    checkBlastRadius(session, TYPE, chosen.length, matched);
    const names = chosen.map((pod) => pod.metadata?.name ?? '');
    const random = p.seed === undefined && chosen.length < matched ? ' (a new seed at run time chooses again)' : '';
    return [{
      action: `delete ${chosen.length} of ${matched} pods matching ${p.labelSelector} in ${session.namespace} (${describeSelection(p.select)}, seed ${seed})${random}: ${names.join(', ') || 'none'}`,
      target: session.targetName,
      details: { namespace: session.namespace, pods: names, matched, seed },
    }];
  },
  async inject(session: KubernetesSession, p, ctx: InjectContext<PodKillState>) {
    requireAllowedNamespace(session, TYPE);
    const seed = p.seed ?? newSeed();
    const { matched, chosen } = await choose(session, p, seed);
    if (chosen.length === 0) throw new Error(`no pod matches ${p.labelSelector} in namespace ${session.namespace}`);
    checkBlastRadius(session, TYPE, chosen.length, matched);
    const gracePeriodSeconds = p.gracePeriod === undefined ? null : Math.ceil(p.gracePeriod / 1000);
    const state: PodKillState = {
      namespace: session.namespace, labelSelector: p.labelSelector, seed, select: describeSelection(p.select), matched,
      pods: chosen.map((pod) => ({ name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '', node: pod.spec?.nodeName ?? null })),
      gracePeriodSeconds,
    };
    await ctx.record(state);
    for (const pod of state.pods) {
      try {
        await session.core.deleteNamespacedPod({
          name: pod.name, namespace: session.namespace,
          ...(gracePeriodSeconds === null ? {} : { gracePeriodSeconds }),
          // Only the pod we chose: if it was replaced by one with the same name meanwhile, leave that one alone.
          body: { preconditions: { uid: pod.uid } },
        });
      } catch (error) {
        if (!isNotFound(error)) await session.call(`deleting pod ${pod.name}`, () => Promise.reject(error));
      }
    }
    ctx.logger.info(`deleted ${state.pods.length} of ${matched} pods (seed ${seed}): ${state.pods.map((x) => x.name).join(', ')}`);
    return state;
  },
  async revert(session: KubernetesSession, state, ctx) {
    // A deleted pod cannot be restored; its controller replaces it. Say whether that happened, never fail on it.
    try {
      const pods = await listPods(session, state.labelSelector);
      ctx.logger.info(`${pods.length} pods match ${state.labelSelector} now (${state.matched} before ${state.pods.length} were killed)`);
    } catch (error) {
      ctx.logger.warn(`could not list pods after the kill: ${messageOf(error)}`);
    }
  },
});

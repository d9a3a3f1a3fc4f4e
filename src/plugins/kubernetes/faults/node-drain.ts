/**
 * `kubernetes.node-drain`: cordons nodes and evicts their pods through the eviction subresource, as `kubectl drain`
 * does, so PodDisruptionBudgets are respected (an eviction answered 429 is retried until the timeout, then the fault
 * fails; pods are never deleted behind a budget's back). DaemonSet pods and static (mirror) pods stay, like kubectl.
 * The nodes and whether each was already unschedulable are recorded before the first cordon; revert uncordons only
 * the nodes that were schedulable before, so a node an operator had cordoned stays cordoned.
 */
import * as k8s from '@kubernetes/client-node';
import { causeOf, ChaosError, ExitCode } from '../../../errors.js';
import { defineFault, type ActivityContext, type InjectContext, type PlannedChange, type ParamsOf } from '../../api.js';
import { apiFailure, isNotFound } from '../api-error.js';
import { checkBlastRadius, requireAllowedNamespace } from '../safety.js';
import { newSeed } from '../../shared/seeded-shuffle.js';
import { describeSelection, selectNames } from '../../shared/selection.js';
import { patchAs, type KubernetesSession } from '../session.js';
import { nodeDrainSpec } from '../specs.js';

type NodeDrainParams = ParamsOf<typeof nodeDrainSpec>;

type NodeDrainState = {
  nodes: { name: string; wasUnschedulable: boolean }[];
  seed: number | null;
  select: string;
  evicted: { namespace: string; name: string; uid: string; node: string }[];
};

type PodRef = NodeDrainState['evicted'][number];
interface DrainPlan { nodes: k8s.V1Node[]; seed: number | null; matched: number; pods: PodRef[]; kept: string[]; candidates: number }

const TYPE = nodeDrainSpec.type;
const RETRY_MS = 1_000;

const isDaemonSetPod = (pod: k8s.V1Pod) => (pod.metadata?.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet' && o.controller !== false);
const isMirrorPod = (pod: k8s.V1Pod) => pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined;
const podRef = (pod: k8s.V1Pod): PodRef => ({ namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '', node: pod.spec?.nodeName ?? '' });

async function chooseNodes(session: KubernetesSession, p: NodeDrainParams): Promise<{ nodes: k8s.V1Node[]; matched: number; seed: number | null }> {
  if (p.name !== undefined) {
    const name = p.name;
    const node = await session.call(`reading node ${name}`, () => session.core.readNode({ name }));
    return { nodes: [node], matched: 1, seed: null };
  }
  const selector = p.selector as string;
  const list = await session.call(`listing nodes (${selector})`, () => session.core.listNode({ labelSelector: selector }));
  const seed = p.seed ?? newSeed();
  const chosen = new Set(selectNames(list.items.map((n) => n.metadata?.name ?? ''), p.select, seed));
  return { nodes: list.items.filter((n) => chosen.has(n.metadata?.name ?? '')), matched: list.items.length, seed };
}

/** The nodes and the pods a drain would evict, after the safety checks; throws before anything changes. */
async function planDrain(session: KubernetesSession, p: NodeDrainParams): Promise<DrainPlan> {
  requireAllowedNamespace(session, TYPE);
  const { nodes, matched, seed } = await chooseNodes(session, p);
  if (nodes.length === 0) throw new ChaosError(`${TYPE} on target ${session.targetName}: no node matches ${p.selector}`, { code: 'E_KUBE_NO_NODE', exitCode: ExitCode.Failed, hint: 'check the selector with `kubectl get nodes -l ...`' });
  const names = new Set(nodes.map((n) => n.metadata?.name ?? ''));
  // One list of every pod: the pods on the chosen nodes, and the cluster's evictable pods as the blast-radius total.
  const all = await session.call('listing pods in all namespaces', () => session.core.listPodForAllNamespaces({}));
  const live = all.items.filter((pod) => pod.metadata?.deletionTimestamp === undefined && !isMirrorPod(pod));
  const daemon = live.filter((pod) => names.has(pod.spec?.nodeName ?? '') && isDaemonSetPod(pod));
  if (daemon.length > 0 && !p.ignoreDaemonSets) {
    throw new ChaosError(`${TYPE} on target ${session.targetName}: DaemonSet pods run on the node(s): ${daemon.map((x) => `${x.metadata?.namespace}/${x.metadata?.name}`).join(', ')}`, {
      code: 'E_KUBE_DRAIN_DAEMONSET', exitCode: ExitCode.Failed, hint: 'set ignoreDaemonSets: true (their controller would recreate them on the node anyway)',
    });
  }
  const candidates = live.filter((pod) => !isDaemonSetPod(pod));
  const pods = candidates.filter((pod) => names.has(pod.spec?.nodeName ?? '')).map(podRef).sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  const allowed = session.safety?.allowNamespaces ?? [];
  const outside = pods.filter((pod) => !allowed.includes(pod.namespace));
  if (outside.length > 0) {
    throw new ChaosError(`${TYPE} on target ${session.targetName}: would evict pods in namespaces not in safety.allowNamespaces: ${outside.map((x) => `${x.namespace}/${x.name}`).join(', ')}`, {
      code: 'E_KUBE_NAMESPACE_NOT_ALLOWED', exitCode: ExitCode.Failed,
      hint: `a drain evicts every pod of the node: add ${[...new Set(outside.map((x) => x.namespace))].join(', ')} to safety.allowNamespaces, or drain another node`,
    });
  }
  checkBlastRadius(session, TYPE, pods.length, candidates.length);
  return { nodes, seed, matched, pods, kept: daemon.map((x) => `${x.metadata?.namespace}/${x.metadata?.name}`), candidates: candidates.length };
}

async function setUnschedulable(session: KubernetesSession, name: string, unschedulable: boolean): Promise<void> {
  // null removes the field, which is what `kubectl uncordon` leaves behind.
  const body = { spec: { unschedulable: unschedulable ? true : null } };
  await session.call(`${unschedulable ? 'cordoning' : 'uncordoning'} node ${name}`, () => session.core.patchNode({ name, body }, patchAs(k8s.PatchStrategy.MergePatch)));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(timer); reject(signal.reason); };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Evicts one pod, retrying while a PodDisruptionBudget answers 429; false when the pod was already gone. */
async function evict(session: KubernetesSession, pod: PodRef, p: NodeDrainParams, deadline: number, ctx: ActivityContext): Promise<boolean> {
  const gracePeriodSeconds = p.gracePeriod === undefined ? undefined : Math.ceil(p.gracePeriod / 1000);
  const deleteOptions = { ...(gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds }), preconditions: { uid: pod.uid } };
  for (let attempt = 1; ; attempt++) {
    try {
      if (p.respectPodDisruptionBudgets) {
        await session.core.createNamespacedPodEviction({
          name: pod.name, namespace: pod.namespace,
          body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod.name, namespace: pod.namespace }, deleteOptions },
        });
      } else {
        await session.core.deleteNamespacedPod({ name: pod.name, namespace: pod.namespace, ...(gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds }), body: deleteOptions });
      }
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      const failure = apiFailure(error);
      if (failure?.code !== 429) return session.call(`evicting pod ${pod.namespace}/${pod.name}`, () => Promise.reject(error));
      if (Date.now() + RETRY_MS > deadline) {
        throw new ChaosError(`${TYPE} on target ${session.targetName}: pod ${pod.namespace}/${pod.name} could not be evicted within the timeout (${attempt} attempts): ${failure.message}`, {
          code: 'E_KUBE_DRAIN_PDB', exitCode: ExitCode.Failed,
          hint: 'a PodDisruptionBudget allows no disruption now: add replicas, relax the budget, or raise `timeout`; the node is uncordoned by the revert',
        });
      }
      if (attempt === 1) ctx.logger.info(`pod ${pod.namespace}/${pod.name}: ${failure.message}; retrying until the timeout`);
      await sleep(RETRY_MS, ctx.signal);
    }
  }
}

/** Waits until the evicted pods are gone (or replaced by others of the same name), as kubectl drain does. */
async function waitGone(session: KubernetesSession, pods: PodRef[], deadline: number, ctx: ActivityContext): Promise<void> {
  let left = pods;
  while (left.length > 0) {
    const still: PodRef[] = [];
    for (const pod of left) {
      try {
        const current = await session.core.readNamespacedPod({ name: pod.name, namespace: pod.namespace });
        if (current.metadata?.uid === pod.uid) still.push(pod);
      } catch (error) {
        if (!isNotFound(error)) await session.call(`reading pod ${pod.namespace}/${pod.name}`, () => Promise.reject(error));
      }
    }
    left = still;
    if (left.length === 0) return;
    if (Date.now() + 250 > deadline) {
      throw new ChaosError(`${TYPE} on target ${session.targetName}: evicted pods still terminating at the timeout: ${left.map((x) => `${x.namespace}/${x.name}`).join(', ')}`, {
        code: 'E_KUBE_DRAIN_TIMEOUT', exitCode: ExitCode.Failed, hint: 'raise `timeout`, or lower `gracePeriod`',
      });
    }
    await sleep(250, ctx.signal);
  }
}

const describeNodes = (nodes: k8s.V1Node[]) => nodes.map((n) => n.metadata?.name ?? '').join(', ');

export const nodeDrainFault = defineFault({
  ...nodeDrainSpec,
  async plan(session: KubernetesSession, p) {
    const plan = await planDrain(session, p);
    const which = plan.seed === null ? '' : ` (${plan.nodes.length} of ${plan.matched} matching ${p.selector}, ${describeSelection(p.select)}, seed ${plan.seed}${p.seed === undefined && plan.nodes.length < plan.matched ? '; a new seed at run time chooses again' : ''})`;
    const pods = plan.pods.map((x) => `${x.namespace}/${x.name}`);
    const changes: PlannedChange[] = [
      { action: `cordon node(s) ${describeNodes(plan.nodes)}${which}`, target: session.targetName, details: { nodes: plan.nodes.map((n) => n.metadata?.name ?? ''), ...(plan.seed === null ? {} : { seed: plan.seed }) } },
      {
        action: `${p.respectPodDisruptionBudgets ? 'evict' : 'delete'} ${pods.length} pod(s): ${pods.join(', ') || 'none'}${plan.kept.length > 0 ? `; DaemonSet pods stay: ${plan.kept.join(', ')}` : ''}`,
        target: session.targetName, details: { pods, daemonSetPods: plan.kept },
      },
    ];
    return changes;
  },
  async inject(session: KubernetesSession, p, ctx: InjectContext<NodeDrainState>) {
    const plan = await planDrain(session, p);
    const deadline = Date.now() + p.timeout;
    const state: NodeDrainState = {
      nodes: plan.nodes.map((n) => ({ name: n.metadata?.name ?? '', wasUnschedulable: n.spec?.unschedulable === true })),
      seed: plan.seed, select: p.name === undefined ? describeSelection(p.select) : 'name', evicted: [],
    };
    await ctx.record(state);
    for (const node of state.nodes) await setUnschedulable(session, node.name, true);
    ctx.logger.info(`cordoned ${state.nodes.map((n) => n.name).join(', ')}; evicting ${plan.pods.length} pod(s)`);
    for (const pod of plan.pods) {
      if (await evict(session, pod, p, deadline, ctx)) {
        state.evicted.push(pod);
        // So the journal names the evicted pods even when a later eviction fails.
        await ctx.record(state);
      }
    }
    await waitGone(session, state.evicted, deadline, ctx);
    ctx.logger.info(`drained ${state.nodes.map((n) => n.name).join(', ')}: evicted ${state.evicted.map((x) => `${x.namespace}/${x.name}`).join(', ') || 'no pods'}`);
    return state;
  },
  async revert(session: KubernetesSession, state, ctx) {
    // Idempotent: uncordoning twice is harmless; a node cordoned before the fault is left as it was.
    for (const node of state.nodes) {
      if (node.wasUnschedulable) {
        ctx.logger.info(`node ${node.name} was cordoned before the fault; left cordoned`);
        continue;
      }
      try {
        await setUnschedulable(session, node.name, false);
        ctx.logger.info(`uncordoned node ${node.name}`);
      } catch (error) {
        if (!isNotFound(causeOf(error))) throw error;
        ctx.logger.warn(`node ${node.name} no longer exists; nothing to uncordon`);
      }
    }
  },
});

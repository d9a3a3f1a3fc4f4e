/**
 * The fake's controllers, run on a short tick: Deployment → ReplicaSet → Pods (rolling update with maxSurge 1 and
 * maxUnavailable 0, revision annotations, pod-template-hash, rollout status fields and conditions), StatefulSet →
 * Pods, a scheduler that places pods on schedulable nodes, a kubelet that makes pods Ready after a delay (never for
 * an image listed as broken), and PodDisruptionBudget status. A missing pod is replaced only after `recreateDelayMs`.
 */
import { createHash } from 'node:crypto';
import { matchesSelectorObject } from './selectors.js';
import type { KubeObject, Store } from './store.js';

export interface ReconcilerOptions {
  /** How long a new pod stays Pending before it runs and is Ready. */
  podReadyDelayMs: number;
  /** How long a controller waits before it replaces a missing pod. */
  recreateDelayMs: number;
  /** Images whose pods never become Ready (ImagePullBackOff): for failed-rollout drills. */
  brokenImages: (image: string) => boolean;
}

export const REVISION = 'deployment.kubernetes.io/revision';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** Empty and null fields dropped, keys sorted: the same pod template hashes the same however a client wrote it. */
function normalized(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalized);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = normalized((value as Record<string, unknown>)[key]);
    if (v === null || v === undefined || (typeof v === 'object' && Object.keys(v as object).length === 0)) continue;
    out[key] = v;
  }
  return out;
}

export function templateHash(template: any): string {
  const copy = structuredClone(template ?? {});
  delete copy.metadata?.labels?.['pod-template-hash'];
  const hex = createHash('sha256').update(JSON.stringify(normalized(copy))).digest('hex');
  // Kubernetes hashes render with a "safe" alphabet and no vowels; any stable short name does for the fake.
  return BigInt(`0x${hex.slice(0, 12)}`).toString(36).replace(/[aeiou]/g, 'x').slice(0, 10);
}

const ownedBy = (owner: KubeObject) => (obj: KubeObject) =>
  (obj.metadata.ownerReferences ?? []).some((r: any) => r.uid === owner.metadata.uid && r.controller === true);

function ownerRef(owner: KubeObject, apiVersion: string): object {
  return { apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
}

function isReady(pod: KubeObject): boolean {
  return (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

export class Reconciler {
  /** When each controller first saw it was missing pods (key: owner uid). */
  readonly #missingSince = new Map<string, number>();
  readonly #lastProgress = new Map<string, { at: number; status: string }>();
  #scheduleCursor = 0;
  /** When each pod (by uid) was bound to a node; the kubelet starts it podReadyDelayMs later. */
  readonly #scheduledAt = new Map<string, number>();

  readonly #store: Store;
  readonly #options: ReconcilerOptions;

  constructor(store: Store, options: ReconcilerOptions) {
    this.#store = store;
    this.#options = options;
  }

  tick(): void {
    for (const d of this.#store.list('deployments', null)) this.#reconcileDeployment(d);
    for (const rs of this.#store.list('replicasets', null)) this.#reconcilePods(rs, 'apps/v1', rs.spec.replicas ?? 1, () => `${rs.metadata.name}-${randomSuffix()}`);
    for (const sts of this.#store.list('statefulsets', null)) this.#reconcileStatefulSet(sts);
    for (const pod of this.#store.list('pods', null)) this.#runKubelet(pod);
    for (const rs of this.#store.list('replicasets', null)) this.#updateSetStatus('replicasets', rs);
    for (const sts of this.#store.list('statefulsets', null)) this.#updateSetStatus('statefulsets', sts);
    for (const pdb of this.#store.list('poddisruptionbudgets', null)) this.#updatePdbStatus(pdb);
  }

  #reconcileDeployment(d: KubeObject): void {
    const ns = d.metadata.namespace;
    const desired: number = d.spec.replicas ?? 1;
    const hash = templateHash(d.spec.template);
    const owned = this.#store.list('replicasets', ns).filter(ownedBy(d));
    const maxRevision = Math.max(0, ...owned.map((rs) => Number(rs.metadata.annotations?.[REVISION] ?? 0)));
    let newRs = owned.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
    if (d.spec.paused === true) return;
    if (newRs === undefined) {
      const template = structuredClone(d.spec.template);
      template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, 'pod-template-hash': hash } };
      const annotations: Record<string, string> = { [REVISION]: String(maxRevision + 1) };
      if (d.metadata.annotations?.[CHANGE_CAUSE]) annotations[CHANGE_CAUSE] = d.metadata.annotations[CHANGE_CAUSE];
      newRs = this.#store.create('replicasets', {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${d.metadata.name}-${hash}`, namespace: ns, labels: template.metadata.labels, annotations,
          ownerReferences: [ownerRef(d, 'apps/v1')],
        },
        spec: {
          replicas: 0,
          selector: { matchLabels: { ...d.spec.selector?.matchLabels, 'pod-template-hash': hash } },
          template,
        },
      });
      owned.push(newRs);
    } else if (Number(newRs.metadata.annotations?.[REVISION] ?? 0) < maxRevision) {
      // A rollback to an older template: its ReplicaSet becomes the newest revision, as the real controller does.
      newRs.metadata.annotations = { ...newRs.metadata.annotations, [REVISION]: String(maxRevision + 1) };
      newRs = this.#store.update('replicasets', newRs);
    }
    const revision = newRs.metadata.annotations[REVISION];
    if (d.metadata.annotations?.[REVISION] !== revision) {
      d.metadata.annotations = { ...d.metadata.annotations, [REVISION]: revision };
      d = this.#store.update('deployments', d);
    }

    const olds = owned.filter((rs) => rs.metadata.uid !== newRs!.metadata.uid);
    const total = owned.reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0);
    const available = owned.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
    // Rolling update, maxSurge 1 and maxUnavailable 0: one new pod at a time, an old one goes once a new one is Ready.
    if ((newRs.spec.replicas ?? 0) > desired) this.#scale('replicasets', newRs, desired);
    else if ((newRs.spec.replicas ?? 0) < desired && total < desired + 1) this.#scale('replicasets', newRs, (newRs.spec.replicas ?? 0) + 1);
    const oldWithPods = olds.find((rs) => (rs.spec.replicas ?? 0) > 0);
    if (oldWithPods !== undefined && (available > desired || desired === 0 || total > desired + 1)) {
      this.#scale('replicasets', oldWithPods, (oldWithPods.spec.replicas ?? 0) - 1);
    }

    const all = this.#store.list('replicasets', ns).filter(ownedBy(d));
    const fresh = all.find((rs) => rs.metadata.uid === newRs!.metadata.uid)!;
    const sum = (f: (rs: KubeObject) => number) => all.reduce((n, rs) => n + f(rs), 0);
    const replicas = sum((rs) => rs.status?.replicas ?? 0);
    const updated = fresh.status?.replicas ?? 0;
    const ready = sum((rs) => rs.status?.readyReplicas ?? 0);
    const avail = sum((rs) => rs.status?.availableReplicas ?? 0);
    const complete = updated === desired && replicas === desired && avail === desired;
    const key = d.metadata.uid;
    const progressKey = `${fresh.metadata.name}:${updated}:${avail}:${replicas}`;
    const last = this.#lastProgress.get(key);
    if (last === undefined || last.status !== progressKey) this.#lastProgress.set(key, { at: Date.now(), status: progressKey });
    const stalledMs = Date.now() - (this.#lastProgress.get(key)?.at ?? Date.now());
    const deadlineMs = (d.spec.progressDeadlineSeconds ?? 600) * 1000;
    const progressing = complete
      ? { status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${fresh.metadata.name}" has successfully progressed.` }
      : stalledMs > deadlineMs
        ? { status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${fresh.metadata.name}" has timed out progressing.` }
        : { status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${fresh.metadata.name}" is progressing.` };
    const status = {
      observedGeneration: d.metadata.generation,
      replicas,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: avail,
      unavailableReplicas: Math.max(0, replicas - avail),
      conditions: [
        { type: 'Available', status: avail >= desired ? 'True' : 'False', reason: avail >= desired ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', message: 'Deployment availability.' },
        { type: 'Progressing', ...progressing },
      ],
    };
    const before = JSON.stringify(d.status ?? {}, (k, v) => (k === 'lastUpdateTime' || k === 'lastTransitionTime' ? undefined : v));
    if (before !== JSON.stringify(status)) {
      const stamped = { ...status, conditions: status.conditions.map((c) => ({ ...c, lastUpdateTime: now(), lastTransitionTime: now() })) };
      this.#store.update('deployments', { ...d, status: stamped });
    }
  }

  #scale(plural: string, obj: KubeObject, replicas: number): void {
    this.#store.update(plural, { ...obj, spec: { ...obj.spec, replicas } });
  }

  #reconcileStatefulSet(sts: KubeObject): void {
    const desired = sts.spec.replicas ?? 1;
    const pods = this.#store.list('pods', sts.metadata.namespace).filter(ownedBy(sts));
    const names = new Set(pods.map((p) => p.metadata.name));
    let next = 0;
    this.#reconcilePods(sts, 'apps/v1', desired, () => {
      while (names.has(`${sts.metadata.name}-${next}`)) next++;
      names.add(`${sts.metadata.name}-${next}`);
      return `${sts.metadata.name}-${next}`;
    });
  }

  /** Keeps `replicas` pods of the owner's template; replaces missing ones after the recreate delay. */
  #reconcilePods(owner: KubeObject, apiVersion: string, replicas: number, nameFor: (i: number) => string): void {
    const ns = owner.metadata.namespace;
    const pods = this.#store.list('pods', ns).filter(ownedBy(owner));
    const key = owner.metadata.uid;
    if (pods.length > replicas) {
      // Scale down: not-ready pods first, then the newest, as the ReplicaSet controller ranks them.
      const ranked = pods.sort((a, b) => Number(isReady(a)) - Number(isReady(b)) || b.metadata.name.localeCompare(a.metadata.name));
      for (const pod of ranked.slice(0, pods.length - replicas)) this.#store.delete('pods', ns, pod.metadata.name);
    }
    if (pods.length >= replicas) {
      this.#missingSince.delete(key);
      return;
    }
    const since = this.#missingSince.get(key) ?? Date.now();
    this.#missingSince.set(key, since);
    if (Date.now() - since < this.#options.recreateDelayMs) return;
    this.#missingSince.delete(key);
    for (let i = pods.length; i < replicas; i++) {
      const template = owner.spec.template ?? {};
      this.#store.create('pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { ...structuredClone(template.metadata ?? {}), name: nameFor(i), namespace: ns, ownerReferences: [ownerRef(owner, apiVersion)] },
        spec: { ...structuredClone(template.spec ?? {}) },
        status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] },
      });
    }
  }

  /** Scheduler and kubelet: binds a pod to a schedulable node, then makes it Running and Ready after the delay. */
  #runKubelet(pod: KubeObject): void {
    if (pod.metadata.deletionTimestamp !== undefined) return;
    if (pod.spec.nodeName === undefined) {
      const nodes = this.#store.list('nodes', null).filter((n) => n.spec?.unschedulable !== true);
      if (nodes.length === 0) return;
      const node = nodes[this.#scheduleCursor++ % nodes.length]!;
      pod.spec.nodeName = node.metadata.name;
      pod.status = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] };
      this.#scheduledAt.set(pod.metadata.uid, Date.now());
      this.#store.update('pods', pod);
      return;
    }
    const scheduledAt = this.#scheduledAt.get(pod.metadata.uid);
    if (pod.status?.phase !== 'Pending' || scheduledAt === undefined) return;
    if (Date.now() - scheduledAt < this.#options.podReadyDelayMs) return;
    this.#scheduledAt.delete(pod.metadata.uid);
    const containers: any[] = pod.spec.containers ?? [];
    const broken = containers.some((c) => this.#options.brokenImages(String(c.image)));
    const t = now();
    pod.status = {
      phase: broken ? 'Pending' : 'Running',
      podIP: `10.0.0.${1 + (parseInt(pod.metadata.uid.slice(0, 2), 16) % 250)}`,
      hostIP: '192.168.0.1',
      startTime: t,
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: t },
        { type: 'Initialized', status: 'True', lastTransitionTime: t },
        { type: 'ContainersReady', status: broken ? 'False' : 'True', lastTransitionTime: t },
        { type: 'Ready', status: broken ? 'False' : 'True', lastTransitionTime: t },
      ],
      containerStatuses: containers.map((c) => ({
        name: c.name, image: c.image, ready: !broken, restartCount: 0, started: !broken,
        state: broken ? { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` } } : { running: { startedAt: t } },
      })),
    };
    this.#store.update('pods', pod);
  }

  #updateSetStatus(plural: string, set: KubeObject): void {
    const pods = this.#store.list('pods', set.metadata.namespace).filter(ownedBy(set));
    const ready = pods.filter(isReady).length;
    const status = {
      replicas: pods.length, fullyLabeledReplicas: pods.length, readyReplicas: ready, availableReplicas: ready,
      observedGeneration: set.metadata.generation, ...(plural === 'statefulsets' ? { currentReplicas: pods.length, updatedReplicas: pods.length } : {}),
    };
    if (JSON.stringify(set.status) !== JSON.stringify(status)) this.#store.update(plural, { ...set, status });
  }

  #updatePdbStatus(pdb: KubeObject): void {
    const pods = this.#store.list('pods', pdb.metadata.namespace).filter((p) => matchesSelectorObject(p.metadata.labels, pdb.spec.selector));
    const healthy = pods.filter(isReady).length;
    const expected = pods.length;
    const minAvailable = pdb.spec.minAvailable !== undefined ? resolveIntOrPercent(pdb.spec.minAvailable, expected, true)
      : expected - resolveIntOrPercent(pdb.spec.maxUnavailable ?? 0, expected, false);
    const status = {
      observedGeneration: pdb.metadata.generation, currentHealthy: healthy, desiredHealthy: minAvailable, expectedPods: expected,
      disruptionsAllowed: Math.max(0, healthy - minAvailable),
    };
    if (JSON.stringify(pdb.status) !== JSON.stringify(status)) this.#store.update('poddisruptionbudgets', { ...pdb, status });
  }
}

function resolveIntOrPercent(value: number | string, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const fraction = Number(value.replace('%', '')) / 100;
  return roundUp ? Math.ceil(fraction * total) : Math.floor(fraction * total);
}

function randomSuffix(): string {
  return Math.random().toString(36).slice(2, 7).replace(/[aeiou]/g, 'z');
}

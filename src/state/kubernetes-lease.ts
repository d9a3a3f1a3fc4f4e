/**
 * coordination.k8s.io/v1 Leases as the kubernetes state backend uses them: a run's liveness (`chaos-run-…`) and a
 * target's lock (`chaos-lock-…`). Every write is a compare-and-swap on the resourceVersion the writer last read
 * (create answers AlreadyExists, replace and delete answer 409 Conflict to a stale version), so of two writers
 * exactly one wins and the other learns it lost: never two holders, never a lost takeover.
 *
 * The holder's identity (host, PID, its start time, the run) lives in annotations next to `holderIdentity`, and the
 * renew interval in one more, so a reader can judge liveness (liveness.ts) from the Lease alone. Times are sent as
 * client-node's V1MicroTime: the API server refuses JavaScript's millisecond form of a MicroTime.
 */
import * as k8s from '@kubernetes/client-node';
import type { LivenessTiming } from './backend.js';
import type { LivenessRecord } from './liveness.js';
import { stateApiError, stateCall, statusOf, type StateApi } from './kubernetes-api.js';
import { ANNOTATION, KIND_LABEL, MANAGED_BY } from './kubernetes-names.js';

export interface LeaseHolder {
  /** The run (or game day) that holds it. */
  runId: string;
  host: string;
  pid: number;
  pidStartTime: string | null;
  /** `recover`: a `chaos recover` that claimed a dead run; `run`: the runner itself. */
  role: 'run' | 'recover';
  /** A lock's target name, for people reading `kubectl get lease -o yaml`. */
  target?: string;
}

export interface LeaseState {
  name: string;
  resourceVersion: string;
  /** Null when nobody holds it. */
  holderIdentity: string | null;
  holder: LeaseHolder | null;
  record: LivenessRecord | null;
  /** Epoch ms; null when unknown. */
  acquiredAt: number | null;
  transitions: number;
}

export type LeaseKind = 'run' | 'lock';

export function holderIdentity(holder: Pick<LeaseHolder, 'host' | 'pid' | 'role'>): string {
  return `${holder.role === 'recover' ? 'recover@' : ''}${holder.host}/${holder.pid}`;
}

export class Leases {
  readonly #api: StateApi;
  readonly #timing: LivenessTiming;

  constructor(
    api: StateApi,
    timing: LivenessTiming,
  ) {
    this.#api = api;
    this.#timing = timing;
  }

  async read(name: string): Promise<LeaseState | null> {
    try {
      return leaseState(await this.#api.coordination.readNamespacedLease({ name, namespace: this.#api.namespace }));
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw this.#error(`reading lease ${name}`, error);
    }
  }

  async list(kind: LeaseKind): Promise<LeaseState[]> {
    const list = await stateCall(this.#api, 'listing leases', () =>
      this.#api.coordination.listNamespacedLease({ namespace: this.#api.namespace, labelSelector: `${KIND_LABEL}=${kind}-lease` }));
    return list.items.map(leaseState);
  }

  /** Null when it exists already (somebody else created it first). */
  async create(name: string, kind: LeaseKind, holder: LeaseHolder): Promise<LeaseState | null> {
    const now = new k8s.V1MicroTime(Date.now());
    const body: k8s.V1Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace: this.#api.namespace, labels: { ...MANAGED_BY, [KIND_LABEL]: `${kind}-lease` }, annotations: this.#annotations(holder) },
      spec: { holderIdentity: holderIdentity(holder), leaseDurationSeconds: this.#durationSeconds(), acquireTime: now, renewTime: now, leaseTransitions: 0 },
    };
    try {
      return leaseState(await this.#api.coordination.createNamespacedLease({ namespace: this.#api.namespace, body }));
    } catch (error) {
      if (statusOf(error) === 409) return null;
      throw this.#error(`creating lease ${name}`, error);
    }
  }

  /** Takes a free or expired lease over; null when it changed since `current` was read (somebody else was faster). */
  takeOver(current: LeaseState, holder: LeaseHolder): Promise<LeaseState | null> {
    const now = new k8s.V1MicroTime(Date.now());
    return this.#replace(current, holder, { acquireTime: now, renewTime: now, leaseTransitions: current.transitions + (current.holderIdentity === null ? 0 : 1) }, 'taking over');
  }

  /** Null when it changed since it was last written by us: somebody took it over. */
  renew(current: LeaseState, holder: LeaseHolder): Promise<LeaseState | null> {
    return this.#replace(current, holder, { renewTime: new k8s.V1MicroTime(Date.now()) }, 'renewing');
  }

  /** Deletes the lease if it is still the version we hold; a lease somebody else took over is left to them. */
  async release(current: LeaseState): Promise<void> {
    try {
      await this.#api.coordination.deleteNamespacedLease({
        name: current.name, namespace: this.#api.namespace, body: { preconditions: { resourceVersion: current.resourceVersion } },
      });
    } catch (error) {
      if (statusOf(error) === 404 || statusOf(error) === 409) return;
      throw this.#error(`releasing lease ${current.name}`, error);
    }
  }

  async #replace(current: LeaseState, holder: LeaseHolder, times: Partial<k8s.V1LeaseSpec>, what: string): Promise<LeaseState | null> {
    const body: k8s.V1Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      // The version we read: the API server refuses the write (409) if anybody wrote in between.
      metadata: { name: current.name, namespace: this.#api.namespace, resourceVersion: current.resourceVersion, labels: { ...MANAGED_BY, [KIND_LABEL]: current.name.startsWith('chaos-lock-') ? 'lock-lease' : 'run-lease' }, annotations: this.#annotations(holder) },
      spec: {
        holderIdentity: holderIdentity(holder),
        leaseDurationSeconds: this.#durationSeconds(),
        acquireTime: new k8s.V1MicroTime(current.acquiredAt ?? Date.now()),
        leaseTransitions: current.transitions,
        ...times,
      },
    };
    try {
      return leaseState(await this.#api.coordination.replaceNamespacedLease({ name: current.name, namespace: this.#api.namespace, body }));
    } catch (error) {
      if (statusOf(error) === 409 || statusOf(error) === 404) return null;
      throw this.#error(`${what} lease ${current.name}`, error);
    }
  }

  #annotations(holder: LeaseHolder): Record<string, string> {
    return {
      [ANNOTATION.runId]: holder.runId,
      [ANNOTATION.host]: holder.host,
      [ANNOTATION.pid]: String(holder.pid),
      ...(holder.pidStartTime === null ? {} : { [ANNOTATION.pidStartTime]: holder.pidStartTime }),
      [ANNOTATION.renewEveryMs]: String(this.#timing.renewEveryMs),
      ...(holder.target === undefined ? {} : { [ANNOTATION.target]: holder.target }),
    };
  }

  /** A Lease holds whole seconds; the duration is rounded up, never down. */
  #durationSeconds(): number {
    return Math.max(1, Math.ceil(this.#timing.durationMs / 1000));
  }

  #error(what: string, error: unknown): Error {
    return stateApiError(this.#api, what, error);
  }
}

/** What a Lease says, read defensively: a Lease edited by hand may lack any field. */
export function leaseState(lease: k8s.V1Lease): LeaseState {
  const meta = lease.metadata ?? {};
  const annotations = meta.annotations ?? {};
  const spec = lease.spec ?? {};
  const identity = spec.holderIdentity === undefined || spec.holderIdentity === '' ? null : spec.holderIdentity;
  const pid = Number(annotations[ANNOTATION.pid] ?? /\/(\d+)$/.exec(identity ?? '')?.[1] ?? Number.NaN);
  const host = annotations[ANNOTATION.host] ?? identity?.replace(/^recover@/, '').replace(/\/\d+$/, '') ?? '';
  const holder: LeaseHolder | null = identity === null ? null : {
    runId: annotations[ANNOTATION.runId] ?? '',
    host,
    pid: Number.isInteger(pid) ? pid : -1,
    pidStartTime: annotations[ANNOTATION.pidStartTime] ?? null,
    role: identity.startsWith('recover@') ? 'recover' : 'run',
    ...(annotations[ANNOTATION.target] === undefined ? {} : { target: annotations[ANNOTATION.target] }),
  };
  const durationMs = (spec.leaseDurationSeconds ?? 0) * 1000;
  const renewedAt = timeOf(spec.renewTime);
  const renewEveryMs = Number(annotations[ANNOTATION.renewEveryMs] ?? Number.NaN);
  const record: LivenessRecord | null = holder === null || !(durationMs > 0) || Number.isNaN(renewedAt) ? null : {
    version: meta.resourceVersion ?? '',
    host: holder.host,
    pid: holder.pid,
    pidStartTime: holder.pidStartTime,
    renewedAt,
    durationMs,
    // A Lease written by another tool says nothing of its renewals: a third of the duration is client-go's habit.
    renewEveryMs: renewEveryMs > 0 ? renewEveryMs : durationMs / 3,
  };
  const acquiredAt = timeOf(spec.acquireTime);
  return {
    name: meta.name ?? '',
    resourceVersion: meta.resourceVersion ?? '',
    holderIdentity: identity,
    holder,
    record,
    acquiredAt: Number.isNaN(acquiredAt) ? null : acquiredAt,
    transitions: spec.leaseTransitions ?? 0,
  };
}

/** client-node hands MicroTimes back as strings or Dates, depending on the call. */
function timeOf(value: unknown): number {
  if (value === undefined || value === null) return Number.NaN;
  return new Date(value as string).getTime();
}

/**
 * CRUD on one resource kind: what a REST verb on `/api…/{plural}/{name}/{subresource}` does to the store, with the
 * API server's checks (namespace exists, names are DNS labels, AlreadyExists, resourceVersion conflicts on update
 * and patch, delete preconditions, the kind rules of admission.ts, eviction against PodDisruptionBudgets) and the
 * Scale subresource.
 */
import { admit, checkDeletePreconditions } from './admission.js';
import { apiVersionOf, type ResourceKind } from './catalog.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, PatchError } from './patch.js';
import { matchesFieldSelector, matchesLabelSelector, matchesSelectorObject } from './selectors.js';
import { alreadyExists, conflict, invalid, notFound, StatusError, successStatus } from './status.js';
import type { KubeObject, Store } from './store.js';

export interface Target {
  kind: ResourceKind;
  namespace: string | null;
  name: string | null;
  subresource: string | null;
}

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export class Resources {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  #requireNamespace(t: Target): void {
    if (t.kind.namespaced && t.namespace !== null && this.#store.get('namespaces', null, t.namespace) === undefined) {
      throw notFound('namespaces', '', t.namespace);
    }
  }

  #existing(t: Target): KubeObject {
    const found = this.#store.get(t.kind.plural, t.kind.namespaced ? t.namespace : null, t.name as string);
    if (found === undefined) throw notFound(t.kind.plural, t.kind.group, t.name as string);
    return found;
  }

  get(t: Target): object {
    const obj = this.#existing(t);
    return t.subresource === 'scale' ? toScale(obj, t.kind) : obj;
  }

  list(t: Target, labelSelector: string | null, fieldSelector: string | null): object {
    const items = this.#store
      .list(t.kind.plural, t.kind.namespaced ? t.namespace : null)
      .filter((o) => matchesLabelSelector(o, labelSelector) && matchesFieldSelector(o, fieldSelector));
    return { kind: `${t.kind.kind}List`, apiVersion: apiVersionOf(t.kind), metadata: { resourceVersion: this.#store.resourceVersion }, items };
  }

  create(t: Target, body: KubeObject, dryRun: boolean): object {
    this.#requireNamespace(t);
    if (typeof body !== 'object' || body === null || typeof body.metadata !== 'object') {
      throw invalid(t.kind.kind, '', 'metadata', 'Required value');
    }
    const name = body.metadata.name ?? (body.metadata.generateName ? `${body.metadata.generateName}x` : '');
    if (!NAME.test(name) || name.length > 253) {
      throw invalid(t.kind.kind, name, 'metadata.name', `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`);
    }
    if (body.metadata.resourceVersion !== undefined && body.metadata.resourceVersion !== '') {
      // What etcd3's store answers: a create is never conditional.
      throw new StatusError(500, 'InternalError', 'resourceVersion should not be set on objects to be created');
    }
    if (t.kind.namespaced) body.metadata.namespace = t.namespace;
    else delete body.metadata.namespace;
    if (body.metadata.name !== undefined && this.#store.get(t.kind.plural, t.kind.namespaced ? t.namespace : null, body.metadata.name) !== undefined) {
      throw alreadyExists(t.kind.plural, t.kind.group, body.metadata.name);
    }
    validate(t.kind, body);
    admit(t.kind.kind, body, undefined);
    body.kind = t.kind.kind;
    body.apiVersion = apiVersionOf(t.kind);
    if (t.kind.kind === 'Node') body.status ??= { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }] };
    if (t.kind.kind === 'Namespace') body.status ??= { phase: 'Active' };
    if (dryRun) return body;
    return this.#store.create(t.kind.plural, body);
  }

  /** PUT: replaces the object (or, for `scale`, its replica count); a stale resourceVersion is a 409 Conflict. */
  update(t: Target, body: KubeObject, dryRun: boolean): object {
    const current = this.#existing(t);
    const rv = body?.metadata?.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== current.metadata.resourceVersion) throw conflict(t.kind.plural, t.kind.group, t.name as string);
    if (t.subresource === 'scale') return this.#writeScale(t, current, body, dryRun);
    const next: KubeObject = { ...body, kind: t.kind.kind, apiVersion: apiVersionOf(t.kind), metadata: { ...body.metadata, name: current.metadata.name, namespace: current.metadata.namespace } };
    if (t.subresource === 'status') next.spec = current.spec;
    else if (t.subresource === null && current.status !== undefined) next.status = current.status;
    return this.#save(t, next, dryRun);
  }

  patch(t: Target, contentType: string, patch: unknown, dryRun: boolean): object {
    const current = this.#existing(t);
    const base = t.subresource === 'scale' ? toScale(current, t.kind) : current;
    let next: KubeObject;
    try {
      if (contentType.startsWith('application/json-patch+json')) next = applyJsonPatch(base, patch as never);
      else if (contentType.startsWith('application/merge-patch+json')) next = applyMergePatch(base, patch);
      else if (contentType.startsWith('application/strategic-merge-patch+json')) {
        if (t.kind.group === 'chaos-mesh.org') throw new StatusError(415, 'UnsupportedMediaType', 'strategic merge patch is not supported for custom resources; use a merge patch');
        next = applyStrategicMergePatch(base, patch);
      } else throw new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`);
    } catch (error) {
      if (error instanceof PatchError) throw new StatusError(422, 'Invalid', `the server rejected our request due to an error in our request: ${error.message}`);
      throw error;
    }
    // A resourceVersion in the patch is a precondition, as on the real server: a stale one is a 409 Conflict.
    const rv = next?.metadata?.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== current.metadata.resourceVersion) throw conflict(t.kind.plural, t.kind.group, t.name as string);
    if (t.subresource === 'scale') return this.#writeScale(t, current, next, dryRun);
    next.metadata = { ...next.metadata, name: current.metadata.name, namespace: current.metadata.namespace, uid: current.metadata.uid };
    return this.#save(t, next, dryRun);
  }

  #save(t: Target, next: KubeObject, dryRun: boolean): object {
    validate(t.kind, next);
    if (t.subresource === null) admit(t.kind.kind, next, this.#existing(t));
    if (dryRun) return next;
    return this.#store.update(t.kind.plural, next);
  }

  #writeScale(t: Target, current: KubeObject, scale: KubeObject, dryRun: boolean): object {
    const replicas = scale?.spec?.replicas;
    if (!Number.isInteger(replicas) || replicas < 0) throw invalid('Scale', t.name as string, 'spec.replicas', `Invalid value: ${replicas}: must be greater than or equal to 0`);
    const next = { ...current, spec: { ...current.spec, replicas } };
    return toScale(dryRun ? next : this.#store.update(t.kind.plural, next), t.kind);
  }

  /** DELETE: removes at once (the fake has no kubelet to wait for); returns the object as it was. */
  delete(t: Target, options: unknown): object {
    const found = this.#existing(t);
    checkDeletePreconditions(t.kind.plural, t.kind.group, found, options);
    this.#store.delete(t.kind.plural, t.kind.namespaced ? t.namespace : null, t.name as string);
    return found;
  }

  /** POST pods/{name}/eviction: refused with 429 while a PodDisruptionBudget allows no disruption. */
  evict(t: Target): object {
    const pod = this.#existing(t);
    for (const pdb of this.#store.list('poddisruptionbudgets', pod.metadata.namespace)) {
      if (!matchesSelectorObject(pod.metadata.labels, pdb.spec?.selector)) continue;
      if ((pdb.status?.disruptionsAllowed ?? 0) < 1) {
        throw new StatusError(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
          causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${pdb.metadata.name} needs ${pdb.status?.desiredHealthy ?? '?'} healthy pods and has ${pdb.status?.currentHealthy ?? '?'} currently` }],
        });
      }
      // Count the disruption at once, as the real server does, so two quick evictions cannot both pass.
      this.#store.update('poddisruptionbudgets', { ...pdb, status: { ...pdb.status, disruptionsAllowed: pdb.status.disruptionsAllowed - 1 } });
    }
    this.#store.delete('pods', pod.metadata.namespace, pod.metadata.name);
    return successStatus(201);
  }
}

function toScale(obj: KubeObject, _kind: ResourceKind): object {
  const selector = obj.spec?.selector?.matchLabels ?? {};
  return {
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion, creationTimestamp: obj.metadata.creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, selector: Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',') },
  };
}

function validate(kind: ResourceKind, obj: KubeObject): void {
  const name = obj.metadata.name;
  if (['Deployment', 'ReplicaSet', 'StatefulSet'].includes(kind.kind)) {
    const replicas = obj.spec?.replicas;
    if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 0)) throw invalid(kind.kind, name, 'spec.replicas', `Invalid value: ${replicas}: must be greater than or equal to 0`);
    if (!matchesSelectorObject(obj.spec?.template?.metadata?.labels, obj.spec?.selector) || obj.spec?.selector === undefined) {
      throw invalid(kind.kind, name, 'spec.template.metadata.labels', 'Invalid value: `selector` does not match template `labels`');
    }
    const containers = obj.spec?.template?.spec?.containers;
    if (!Array.isArray(containers) || containers.length === 0) throw invalid(kind.kind, name, 'spec.template.spec.containers', 'Required value');
  }
}

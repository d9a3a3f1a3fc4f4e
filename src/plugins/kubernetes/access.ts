/**
 * The API permissions each type of this plugin needs, checked with a SelfSubjectAccessReview per permission when a
 * target connects, so a missing RBAC rule is reported before anything is injected rather than halfway through; the
 * same list is what `chaos schedule --emit cronjob` grants in the RBAC it writes.
 */
import type { ApiPermission } from '../api.js';

export interface Permission {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  /** Cluster-scoped (nodes): checked without a namespace. */
  cluster?: boolean;
}

const p = (verb: string, group: string, resource: string, subresource?: string, cluster = false): Permission => ({
  verb, group, resource, ...(subresource ? { subresource } : {}), ...(cluster ? { cluster } : {}),
});

const PERMISSIONS: Record<string, Permission[]> = {
  'kubernetes.pod-kill': [p('list', '', 'pods'), p('delete', '', 'pods')],
  'kubernetes.scale': [p('get', 'apps', 'deployments'), p('patch', 'apps', 'deployments', 'scale')],
  'kubernetes.network-partition': [p('create', 'networking.k8s.io', 'networkpolicies'), p('delete', 'networking.k8s.io', 'networkpolicies'), p('list', '', 'pods')],
  // A drain reads nodes and the pods of every namespace on them (like kubectl drain), then cordons and evicts.
  'kubernetes.node-drain': [
    p('get', '', 'nodes', undefined, true),
    p('list', '', 'nodes', undefined, true),
    p('patch', '', 'nodes', undefined, true),
    p('list', '', 'pods', undefined, true),
    p('create', '', 'pods', 'eviction'),
  ],
  'kubernetes.deploy': [p('get', 'apps', 'deployments'), p('patch', 'apps', 'deployments'), p('list', 'apps', 'replicasets')],
  'kubernetes.rollback': [p('get', 'apps', 'deployments'), p('patch', 'apps', 'deployments'), p('list', 'apps', 'replicasets')],
  'kubernetes.rollout-restart': [p('get', 'apps', 'deployments'), p('patch', 'apps', 'deployments')],
  'kubernetes.pods-ready': [p('list', '', 'pods')],
  'kubernetes.deployment-available': [p('get', 'apps', 'deployments')],
};

/** The permissions a target's types need, placed in its namespace (cluster-scoped ones in none): for RBAC. */
export function apiPermissionsOf(config: { namespace: string }, uses: readonly string[]): ApiPermission[] {
  return permissionsFor(uses).map((perm) => ({
    verb: perm.verb,
    group: perm.group,
    resource: perm.resource,
    ...(perm.subresource ? { subresource: perm.subresource } : {}),
    namespace: perm.cluster ? null : config.namespace,
  }));
}

/** The permissions the given types need, without duplicates. */
export function permissionsFor(types: readonly string[]): Permission[] {
  const seen = new Map<string, Permission>();
  for (const type of types) {
    for (const perm of PERMISSIONS[type] ?? []) seen.set(describePermission(perm, null), perm);
  }
  return [...seen.values()];
}

export function describePermission(perm: Permission, namespace: string | null): string {
  const resource = `${perm.resource}${perm.subresource ? `/${perm.subresource}` : ''}${perm.group ? `.${perm.group}` : ''}`;
  return `${perm.verb} ${resource}${perm.cluster || namespace === null ? '' : ` in namespace ${namespace}`}`;
}

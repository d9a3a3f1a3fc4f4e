/**
 * The RBAC a runner or the reconciler needs in a cluster, as manifests: a ServiceAccount, and exactly the API
 * permissions its experiments use (what the kubernetes plugin checks with a SelfSubjectAccessReview when a target
 * connects) plus what the kubernetes state backend needs for its Leases and ledger ConfigMaps. Namespaced
 * permissions become a Role and RoleBinding in each namespace they apply to; cluster-scoped ones (nodes) a
 * ClusterRole and ClusterRoleBinding. Rules are grouped by API group and resource, verbs sorted, so the output is
 * stable and reviewable.
 */

import type { ApiPermission } from '../plugins/api.js';

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** What the kubernetes state backend does in its namespace (kubernetes-backend.ts). */
export function statePermissions(namespace: string): ApiPermission[] {
  const on = (group: string, resource: string, verbs: string[]) => verbs.map((verb) => ({ verb, group, resource, namespace }));
  return [
    // Liveness and locks: read, create, renew and take over (update), release (delete), find them all (list).
    ...on('coordination.k8s.io', 'leases', ['get', 'list', 'create', 'update', 'delete']),
    // Ledgers: create a run's, append by merge patch, read and list them.
    ...on('', 'configmaps', ['get', 'list', 'create', 'patch']),
  ];
}

const labelsOf = (component: string) => ({ 'app.kubernetes.io/name': 'chaosdrill', 'app.kubernetes.io/component': component });

/**
 * The ServiceAccount `name` in `namespace`, and the roles and bindings that grant it `permissions`. The Role in the
 * account's own namespace is called `name`; in any other namespace `name` too (a namespace holds one of each);
 * cluster-scoped permissions go to the ClusterRole `<name>-<namespace>` (cluster-wide names must not collide
 * between two namespaces' accounts).
 */
export function rbacManifests(name: string, namespace: string, component: string, permissions: readonly ApiPermission[]): object[] {
  const labels = labelsOf(component);
  const subject = { kind: 'ServiceAccount', name, namespace };
  const manifests: object[] = [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, labels } }];
  const byNamespace = new Map<string | null, ApiPermission[]>();
  for (const p of permissions) byNamespace.set(p.namespace, [...(byNamespace.get(p.namespace) ?? []), p]);
  const namespaces = [...byNamespace.keys()].filter((n): n is string => n !== null).sort((a, b) => (a === namespace ? -1 : b === namespace ? 1 : a.localeCompare(b)));
  for (const ns of namespaces) {
    manifests.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: ns, labels }, rules: policyRules(byNamespace.get(ns)!) });
    manifests.push({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name, namespace: ns, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name }, subjects: [subject],
    });
  }
  const cluster = byNamespace.get(null);
  if (cluster !== undefined) {
    const clusterName = `${name}-${namespace}`;
    manifests.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: clusterName, labels }, rules: policyRules(cluster) });
    manifests.push({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: clusterName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterName }, subjects: [subject],
    });
  }
  return manifests;
}

/** One rule per API group and resource, verbs sorted; rules sorted by group, then resource. */
export function policyRules(permissions: readonly ApiPermission[]): PolicyRule[] {
  const verbs = new Map<string, Set<string>>();
  for (const p of permissions) {
    const key = `${p.group}\u0000${p.resource}${p.subresource ? `/${p.subresource}` : ''}`;
    verbs.set(key, (verbs.get(key) ?? new Set()).add(p.verb));
  }
  return [...verbs.entries()]
    // Code-unit order: '' (the core group) first; localeCompare would ignore the separator.
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, set]) => {
      const [group = '', resource = ''] = key.split('\u0000');
      return { apiGroups: [group], resources: [resource], verbs: [...set].sort() };
    });
}

/**
 * The resource kinds the fake API server serves, with what discovery must say about each (kubectl maps a name such
 * as `deploy` or `networkpolicy` to a path only through discovery).
 */
export interface ResourceKind {
  group: string; // '' for the core group
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  subresources: string[];
  categories?: string[];
}

const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const CHAOS_MESH_KINDS = ['PodChaos', 'NetworkChaos', 'StressChaos', 'IOChaos', 'TimeChaos', 'HTTPChaos', 'DNSChaos', 'Schedule'];

export function resourceKinds(): ResourceKind[] {
  const core = (kind: string, plural: string, namespaced: boolean, shortNames: string[], subresources: string[] = []): ResourceKind => ({
    group: '', version: 'v1', kind, plural, singular: kind.toLowerCase(), namespaced, shortNames, subresources,
  });
  const apps = (kind: string, plural: string, shortNames: string[], subresources: string[]): ResourceKind => ({
    group: 'apps', version: 'v1', kind, plural, singular: kind.toLowerCase(), namespaced: true, shortNames, subresources,
  });
  const rbac = (kind: string, plural: string, namespaced: boolean): ResourceKind => ({
    group: 'rbac.authorization.k8s.io', version: 'v1', kind, plural, singular: kind.toLowerCase(), namespaced, shortNames: [], subresources: [],
  });
  return [
    core('Namespace', 'namespaces', false, ['ns'], ['status']),
    core('Node', 'nodes', false, ['no'], ['status']),
    core('Pod', 'pods', true, ['po'], ['status', 'eviction']),
    core('ConfigMap', 'configmaps', true, ['cm']),
    core('ServiceAccount', 'serviceaccounts', true, ['sa']),
    apps('Deployment', 'deployments', ['deploy'], ['status', 'scale']),
    apps('ReplicaSet', 'replicasets', ['rs'], ['status', 'scale']),
    apps('StatefulSet', 'statefulsets', ['sts'], ['status', 'scale']),
    { group: 'batch', version: 'v1', kind: 'CronJob', plural: 'cronjobs', singular: 'cronjob', namespaced: true, shortNames: ['cj'], subresources: ['status'], categories: ['all'] },
    { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy', plural: 'networkpolicies', singular: 'networkpolicy', namespaced: true, shortNames: ['netpol'], subresources: [] },
    { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', singular: 'poddisruptionbudget', namespaced: true, shortNames: ['pdb'], subresources: ['status'] },
    { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', singular: 'lease', namespaced: true, shortNames: [], subresources: [] },
    rbac('Role', 'roles', true),
    rbac('RoleBinding', 'rolebindings', true),
    rbac('ClusterRole', 'clusterroles', false),
    rbac('ClusterRoleBinding', 'clusterrolebindings', false),
    { group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews', singular: 'selfsubjectaccessreview', namespaced: false, shortNames: [], subresources: [] },
    ...CHAOS_MESH_KINDS.map((kind) => ({
      group: 'chaos-mesh.org', version: 'v1alpha1', kind, plural: `${kind.toLowerCase()}${kind.endsWith('s') ? '' : 's'}`.replace(/chaoss$/, 'chaos'),
      singular: kind.toLowerCase(), namespaced: true, shortNames: [], subresources: ['status'], categories: ['all'],
    })),
  ];
}

export function apiVersionOf(r: ResourceKind): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}

export function verbsOf(r: ResourceKind): string[] {
  return r.kind === 'SelfSubjectAccessReview' ? ['create'] : verbs;
}

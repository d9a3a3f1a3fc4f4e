/**
 * Discovery documents (legacy, not aggregated: kubectl falls back to them when the server answers plain JSON):
 * /api, /apis, and one APIResourceList per group version, with the subresources kubectl looks for (pods/eviction
 * for drain, the scale subresources for scale).
 */
import { apiVersionOf, verbsOf, type ResourceKind } from './catalog.js';

export function apiVersions(): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] };
}

export function apiGroupList(kinds: ResourceKind[]): object {
  const groups = new Map<string, string>();
  for (const k of kinds) if (k.group !== '') groups.set(k.group, k.version);
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups].map(([name, version]) => {
      const gv = { groupVersion: `${name}/${version}`, version };
      return { name, versions: [gv], preferredVersion: gv };
    }),
  };
}

/** The APIResourceList of one group version, or null when the server does not serve it. */
export function apiResourceList(kinds: ResourceKind[], groupVersion: string): object | null {
  const inGroup = kinds.filter((k) => apiVersionOf(k) === groupVersion);
  if (inGroup.length === 0) return null;
  const resources: object[] = [];
  for (const k of inGroup) {
    resources.push({
      name: k.plural, singularName: k.singular, namespaced: k.namespaced, kind: k.kind, verbs: verbsOf(k),
      ...(k.shortNames.length > 0 ? { shortNames: k.shortNames } : {}), ...(k.categories ? { categories: k.categories } : {}),
    });
    for (const sub of k.subresources) {
      const base = { name: `${k.plural}/${sub}`, singularName: '', namespaced: k.namespaced };
      if (sub === 'scale') resources.push({ ...base, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
      else if (sub === 'eviction') resources.push({ ...base, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
      else resources.push({ ...base, kind: k.kind, verbs: ['get', 'patch', 'update'] });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}

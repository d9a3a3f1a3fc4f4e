/**
 * Just enough OpenAPI v3 for kubectl: the root lists each group version, and each group version's document has a
 * PATCH operation per kind that declares the `fieldValidation` query parameter. kubectl reads that to decide the
 * server validates fields itself (`--validate=strict` then sends `fieldValidation=Strict` instead of downloading
 * schemas). The fake accepts the parameter and does its own small validation.
 */
import { apiVersionOf, type ResourceKind } from './catalog.js';
import { CLIENT_VALIDATED_KINDS } from './openapi-v2-schemas.js';

const prefixOf = (k: ResourceKind) => (k.group === '' ? 'api/v1' : `apis/${k.group}/${k.version}`);

export function openApiRoot(kinds: ResourceKind[]): object {
  const paths: Record<string, object> = {};
  for (const k of kinds) paths[prefixOf(k)] = { serverRelativeURL: `/openapi/v3/${prefixOf(k)}?hash=fake` };
  return { paths };
}

/** The document of one group version (`api/v1`, `apis/apps/v1`), or null. */
export function openApiGroupVersion(kinds: ResourceKind[], prefix: string): object | null {
  const inGroup = kinds.filter((k) => prefixOf(k) === prefix);
  if (inGroup.length === 0) return null;
  const paths: Record<string, object> = {};
  const schemas: Record<string, object> = {};
  for (const k of inGroup) {
    const gvk = { group: k.group, version: k.version, kind: k.kind };
    const scope = k.namespaced ? '/namespaces/{namespace}' : '';
    paths[`/${prefix}${scope}/${k.plural}/{name}`] = {
      patch: {
        operationId: `patch${k.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
        // Kinds kubectl validates itself (against /openapi/v2) are served as by a server without field validation.
        parameters: ['dryRun', 'fieldManager', ...(CLIENT_VALIDATED_KINDS.has(k.kind) ? [] : ['fieldValidation']), 'force'].map((name) => ({ name, in: 'query', schema: { type: name === 'force' ? 'boolean' : 'string' } })),
        responses: { '200': { description: 'OK' } },
      },
    };
    schemas[`${apiVersionOf(k).replace('/', '.')}.${k.kind}`] = { type: 'object', 'x-kubernetes-group-version-kind': [gvk] };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes (fake)', version: 'v1.30.0' }, paths, components: { schemas } };
}

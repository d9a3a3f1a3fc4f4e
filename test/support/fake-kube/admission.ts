/**
 * What the real API server checks on the kinds chaosdrill keeps its state in and the RBAC it emits, with the same
 * codes and messages: a ConfigMap's keys and its 1 MiB limit (422), a Lease's MicroTime fields, which must carry
 * exactly six fractional digits (400: Go parses them with the fixed layout `2006-01-02T15:04:05.000000Z07:00`, so
 * JavaScript's `toISOString()` is refused) and its positive duration (422), a Role's verbs and a binding's
 * immutable roleRef (422). Runs on create, update and patch, after decoding and before the store.
 */
import { invalid, StatusError } from './status.js';
import type { KubeObject } from './store.js';

/** core.MaxConfigMapSize: the sum of the keys' and values' lengths of `data` and `binaryData`. */
export const MAX_CONFIGMAP_BYTES = 1024 * 1024;

const CONFIGMAP_KEY = /^[-._a-zA-Z0-9]+$/;
const MICRO_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.(\d{6})(Z|[+-]\d{2}:\d{2})$/;
const MICRO_LAYOUT = '2006-01-02T15:04:05.000000Z07:00';

/** Checks `obj` (the object as it would be stored) against its kind's rules; `old` is the stored one on update. */
export function admit(kind: string, obj: KubeObject, old: KubeObject | undefined): void {
  switch (kind) {
    case 'ConfigMap':
      return admitConfigMap(obj);
    case 'Lease':
      return admitLease(obj);
    case 'Role':
    case 'ClusterRole':
      return admitRole(kind, obj);
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      return admitBinding(kind, obj, old);
  }
}

function admitConfigMap(obj: KubeObject): void {
  const name = obj.metadata.name;
  let total = 0;
  for (const field of ['data', 'binaryData'] as const) {
    const map = obj[field];
    if (map === undefined || map === null) continue;
    for (const [key, value] of Object.entries(map as Record<string, unknown>)) {
      if (!CONFIGMAP_KEY.test(key) || key.length > 253) {
        throw invalid('ConfigMap', name, `${field}[${key}]`, `Invalid value: "${key}": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`);
      }
      if (typeof value !== 'string') {
        throw new StatusError(400, 'BadRequest', `ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal ${typeof value} into Go struct field ConfigMap.${field} of type string`);
      }
      total += key.length + (field === 'binaryData' ? Buffer.from(value, 'base64').length : Buffer.byteLength(value, 'utf8'));
    }
  }
  if (total > MAX_CONFIGMAP_BYTES) throw invalid('ConfigMap', name, '[]', `Too long: must have at most ${MAX_CONFIGMAP_BYTES} bytes`);
}

function admitLease(obj: KubeObject): void {
  const spec = obj.spec ?? {};
  for (const field of ['acquireTime', 'renewTime'] as const) {
    const value = spec[field];
    if (value === undefined || value === null) continue;
    spec[field] = decodeMicroTime(String(value), field);
  }
  const duration = spec.leaseDurationSeconds;
  if (duration !== undefined && duration !== null && !(Number.isInteger(duration) && duration > 0)) {
    throw invalid('Lease', obj.metadata.name, 'spec.leaseDurationSeconds', `Invalid value: ${duration}: must be greater than 0`);
  }
  const transitions = spec.leaseTransitions;
  if (transitions !== undefined && transitions !== null && !(Number.isInteger(transitions) && transitions >= 0)) {
    throw invalid('Lease', obj.metadata.name, 'spec.leaseTransitions', `Invalid value: ${transitions}: must be greater than or equal to 0`);
  }
}

/** metav1.MicroTime as the server decodes it (fixed layout) and stores it (in UTC). */
function decodeMicroTime(value: string, field: string): string {
  const match = MICRO_TIME.exec(value);
  const at = match === null ? Number.NaN : Date.parse(`${match[1]}.${match[2]!.slice(0, 3)}${match[3]}`);
  if (match === null || Number.isNaN(at)) {
    throw new StatusError(
      400,
      'BadRequest',
      `Lease in version "v1" cannot be handled as a Lease: v1.Lease.Spec: v1.LeaseSpec.${field[0]!.toUpperCase()}${field.slice(1)}: unmarshalerDecoder: parsing time "${value}" as "${MICRO_LAYOUT}": cannot parse "${value.slice(19)}" as ".000000"`,
    );
  }
  return `${new Date(at).toISOString().slice(0, 19)}.${match[2]}Z`;
}

function admitRole(kind: string, obj: KubeObject): void {
  const rules: unknown = obj.rules ?? [];
  if (!Array.isArray(rules)) throw invalid(kind, obj.metadata.name, 'rules', 'Invalid value: must be a list');
  rules.forEach((rule: Record<string, unknown>, i) => {
    if (!Array.isArray(rule?.verbs) || rule.verbs.length === 0) throw invalid(kind, obj.metadata.name, `rules[${i}].verbs`, 'Required value: verbs must contain at least one value');
    const resources = Array.isArray(rule.resources) ? rule.resources : [];
    const urls = Array.isArray(rule.nonResourceURLs) ? rule.nonResourceURLs : [];
    if (resources.length === 0 && urls.length === 0) throw invalid(kind, obj.metadata.name, `rules[${i}]`, 'Required value: resource rules must supply at least one resource');
    if (resources.length > 0 && !Array.isArray(rule.apiGroups)) throw invalid(kind, obj.metadata.name, `rules[${i}].apiGroups`, 'Required value: resource rules must supply at least one api group');
  });
}

function admitBinding(kind: string, obj: KubeObject, old: KubeObject | undefined): void {
  const ref = obj.roleRef;
  const name = obj.metadata.name;
  if (typeof ref !== 'object' || ref === null) throw invalid(kind, name, 'roleRef', 'Required value');
  if (ref.apiGroup !== 'rbac.authorization.k8s.io') throw invalid(kind, name, 'roleRef.apiGroup', `Unsupported value: "${ref.apiGroup ?? ''}": supported values: "rbac.authorization.k8s.io"`);
  const kinds = kind === 'RoleBinding' ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(ref.kind)) throw invalid(kind, name, 'roleRef.kind', `Unsupported value: "${ref.kind ?? ''}": supported values: ${kinds.map((k) => `"${k}"`).join(', ')}`);
  if (typeof ref.name !== 'string' || ref.name === '') throw invalid(kind, name, 'roleRef.name', 'Required value');
  if (old !== undefined && JSON.stringify(old.roleRef) !== JSON.stringify(ref)) throw invalid(kind, name, 'roleRef', 'Invalid value: cannot change roleRef');
  (Array.isArray(obj.subjects) ? obj.subjects : []).forEach((s: Record<string, unknown>, i: number) => {
    if (!['ServiceAccount', 'User', 'Group'].includes(String(s?.kind))) throw invalid(kind, name, `subjects[${i}].kind`, `Unsupported value: "${String(s?.kind ?? '')}": supported values: "ServiceAccount", "User", "Group"`);
    if (typeof s.name !== 'string' || s.name === '') throw invalid(kind, name, `subjects[${i}].name`, 'Required value');
    if (s.kind === 'ServiceAccount' && (typeof s.namespace !== 'string' || s.namespace === '')) throw invalid(kind, name, `subjects[${i}].namespace`, 'Required value');
  });
}

/**
 * DeleteOptions.preconditions: a delete that names a uid or resourceVersion the object no longer has is a 409
 * Conflict, so a client deletes only the version it read (a lock it still holds).
 */
export function checkDeletePreconditions(plural: string, group: string, obj: KubeObject, options: unknown): void {
  const pre = (options as { preconditions?: { uid?: string; resourceVersion?: string } } | undefined)?.preconditions;
  if (pre === undefined || pre === null) return;
  const what = `${plural}${group ? `.${group}` : ''} "${obj.metadata.name}"`;
  if (pre.uid !== undefined && pre.uid !== obj.metadata.uid) {
    throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${what}: Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`, { name: obj.metadata.name, group, kind: plural });
  }
  if (pre.resourceVersion !== undefined && pre.resourceVersion !== obj.metadata.resourceVersion) {
    throw new StatusError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${what}: the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${obj.metadata.resourceVersion}). The object might have been modified`,
      { name: obj.metadata.name, group, kind: plural },
    );
  }
}

/**
 * OpenAPI v2 definitions of the kinds kubectl validates itself (client side) against the fake: ConfigMap, batch/v1
 * CronJob, the RBAC kinds (ServiceAccount, Role, RoleBinding, ClusterRole, ClusterRoleBinding) and
 * coordination.k8s.io/v1 Lease, with the fields chaosdrill emits (`chaos schedule --emit cronjob`) and stores. Names, types, required
 * fields and nesting follow the real Kubernetes 1.30 definitions (api/openapi-spec/swagger.json); fields nobody
 * emits are left out, so an unknown or misspelled field fails validation exactly as on a real cluster.
 */
export type SwaggerSchema = {
  $ref?: string;
  type?: string;
  format?: string;
  description?: string;
  required?: string[];
  enum?: string[];
  items?: SwaggerSchema;
  properties?: Record<string, SwaggerSchema>;
  additionalProperties?: SwaggerSchema;
  'x-kubernetes-group-version-kind'?: Array<{ group: string; version: string; kind: string }>;
};

const ref = (name: string): SwaggerSchema => ({ $ref: `#/definitions/${name}` });
const str: SwaggerSchema = { type: 'string' };
const bool: SwaggerSchema = { type: 'boolean' };
const int32: SwaggerSchema = { type: 'integer', format: 'int32' };
const int64: SwaggerSchema = { type: 'integer', format: 'int64' };
const strMap: SwaggerSchema = { type: 'object', additionalProperties: str };
const arrayOf = (items: SwaggerSchema): SwaggerSchema => ({ type: 'array', items });
const object = (properties: Record<string, SwaggerSchema>, required?: string[]): SwaggerSchema => ({
  type: 'object',
  properties,
  ...(required ? { required } : {}),
});
const kindOf = (group: string, version: string, kind: string) => ({ 'x-kubernetes-group-version-kind': [{ group, version, kind }] });

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const CORE = 'io.k8s.api.core.v1';
const BATCH = 'io.k8s.api.batch.v1';
const RBAC = 'io.k8s.api.rbac.v1';
const COORDINATION = 'io.k8s.api.coordination.v1';
const microTime: SwaggerSchema = { type: 'string', format: 'date-time' };

export const SWAGGER_DEFINITIONS: Record<string, SwaggerSchema> = {
  // With the fields the server fills in, so what `kubectl get -o yaml` prints validates too.
  [META]: object({ name: str, namespace: str, generateName: str, labels: strMap, annotations: strMap, uid: str, resourceVersion: str, generation: int64, creationTimestamp: microTime }),
  [`${CORE}.ConfigMap`]: {
    ...object({ apiVersion: str, kind: str, metadata: ref(META), data: strMap, binaryData: { type: 'object', additionalProperties: { type: 'string', format: 'byte' } }, immutable: bool }),
    ...kindOf('', 'v1', 'ConfigMap'),
  },
  [`${BATCH}.CronJob`]: {
    ...object({ apiVersion: str, kind: str, metadata: ref(META), spec: ref(`${BATCH}.CronJobSpec`) }),
    ...kindOf('batch', 'v1', 'CronJob'),
  },
  [`${BATCH}.CronJobSpec`]: object(
    {
      schedule: str,
      timeZone: str,
      startingDeadlineSeconds: int64,
      concurrencyPolicy: { type: 'string', enum: ['Allow', 'Forbid', 'Replace'] },
      suspend: bool,
      jobTemplate: ref(`${BATCH}.JobTemplateSpec`),
      successfulJobsHistoryLimit: int32,
      failedJobsHistoryLimit: int32,
    },
    ['schedule', 'jobTemplate'],
  ),
  [`${BATCH}.JobTemplateSpec`]: object({ metadata: ref(META), spec: ref(`${BATCH}.JobSpec`) }),
  [`${BATCH}.JobSpec`]: object(
    { parallelism: int32, completions: int32, activeDeadlineSeconds: int64, backoffLimit: int32, ttlSecondsAfterFinished: int32, template: ref(`${CORE}.PodTemplateSpec`) },
    ['template'],
  ),
  [`${CORE}.PodTemplateSpec`]: object({ metadata: ref(META), spec: ref(`${CORE}.PodSpec`) }),
  [`${CORE}.PodSpec`]: object(
    {
      restartPolicy: { type: 'string', enum: ['Always', 'Never', 'OnFailure'] },
      serviceAccountName: str,
      securityContext: ref(`${CORE}.PodSecurityContext`),
      containers: arrayOf(ref(`${CORE}.Container`)),
      volumes: arrayOf(ref(`${CORE}.Volume`)),
    },
    ['containers'],
  ),
  [`${CORE}.PodSecurityContext`]: object({ runAsNonRoot: bool, runAsUser: int64, runAsGroup: int64, fsGroup: int64, seccompProfile: ref(`${CORE}.SeccompProfile`) }),
  [`${CORE}.SeccompProfile`]: object({ type: { type: 'string', enum: ['Localhost', 'RuntimeDefault', 'Unconfined'] }, localhostProfile: str }, ['type']),
  [`${CORE}.Container`]: object(
    {
      name: str,
      image: str,
      command: arrayOf(str),
      args: arrayOf(str),
      workingDir: str,
      env: arrayOf(ref(`${CORE}.EnvVar`)),
      envFrom: arrayOf(ref(`${CORE}.EnvFromSource`)),
      securityContext: ref(`${CORE}.SecurityContext`),
      volumeMounts: arrayOf(ref(`${CORE}.VolumeMount`)),
    },
    ['name'],
  ),
  [`${CORE}.EnvVar`]: object({ name: str, value: str }, ['name']),
  [`${CORE}.EnvFromSource`]: object({ prefix: str, secretRef: ref(`${CORE}.SecretEnvSource`), configMapRef: ref(`${CORE}.ConfigMapEnvSource`) }),
  [`${CORE}.SecretEnvSource`]: object({ name: str, optional: bool }),
  [`${CORE}.ConfigMapEnvSource`]: object({ name: str, optional: bool }),
  [`${CORE}.SecurityContext`]: object({
    allowPrivilegeEscalation: bool,
    readOnlyRootFilesystem: bool,
    runAsNonRoot: bool,
    runAsUser: int64,
    capabilities: ref(`${CORE}.Capabilities`),
  }),
  [`${CORE}.Capabilities`]: object({ add: arrayOf(str), drop: arrayOf(str) }),
  [`${CORE}.VolumeMount`]: object({ name: str, mountPath: str, readOnly: bool, subPath: str }, ['name', 'mountPath']),
  [`${CORE}.Volume`]: object({ name: str, configMap: ref(`${CORE}.ConfigMapVolumeSource`), emptyDir: ref(`${CORE}.EmptyDirVolumeSource`) }, ['name']),
  [`${CORE}.ConfigMapVolumeSource`]: object({ name: str, defaultMode: int32, optional: bool, items: arrayOf(ref(`${CORE}.KeyToPath`)) }),
  [`${CORE}.KeyToPath`]: object({ key: str, path: str, mode: int32 }, ['key', 'path']),
  [`${CORE}.EmptyDirVolumeSource`]: object({ medium: str }),
  [`${CORE}.ServiceAccount`]: {
    ...object({ apiVersion: str, kind: str, metadata: ref(META), automountServiceAccountToken: bool, imagePullSecrets: arrayOf(ref(`${CORE}.LocalObjectReference`)) }),
    ...kindOf('', 'v1', 'ServiceAccount'),
  },
  [`${CORE}.LocalObjectReference`]: object({ name: str }),
  [`${RBAC}.PolicyRule`]: object({ apiGroups: arrayOf(str), resources: arrayOf(str), resourceNames: arrayOf(str), nonResourceURLs: arrayOf(str), verbs: arrayOf(str) }, ['verbs']),
  [`${RBAC}.Role`]: { ...object({ apiVersion: str, kind: str, metadata: ref(META), rules: arrayOf(ref(`${RBAC}.PolicyRule`)) }), ...kindOf('rbac.authorization.k8s.io', 'v1', 'Role') },
  [`${RBAC}.ClusterRole`]: { ...object({ apiVersion: str, kind: str, metadata: ref(META), rules: arrayOf(ref(`${RBAC}.PolicyRule`)) }), ...kindOf('rbac.authorization.k8s.io', 'v1', 'ClusterRole') },
  [`${RBAC}.RoleRef`]: object({ apiGroup: str, kind: str, name: str }, ['apiGroup', 'kind', 'name']),
  [`${RBAC}.Subject`]: object({ apiGroup: str, kind: str, name: str, namespace: str }, ['kind', 'name']),
  [`${RBAC}.RoleBinding`]: {
    ...object({ apiVersion: str, kind: str, metadata: ref(META), roleRef: ref(`${RBAC}.RoleRef`), subjects: arrayOf(ref(`${RBAC}.Subject`)) }, ['roleRef']),
    ...kindOf('rbac.authorization.k8s.io', 'v1', 'RoleBinding'),
  },
  [`${RBAC}.ClusterRoleBinding`]: {
    ...object({ apiVersion: str, kind: str, metadata: ref(META), roleRef: ref(`${RBAC}.RoleRef`), subjects: arrayOf(ref(`${RBAC}.Subject`)) }, ['roleRef']),
    ...kindOf('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding'),
  },
  [`${COORDINATION}.Lease`]: { ...object({ apiVersion: str, kind: str, metadata: ref(META), spec: ref(`${COORDINATION}.LeaseSpec`) }), ...kindOf('coordination.k8s.io', 'v1', 'Lease') },
  [`${COORDINATION}.LeaseSpec`]: object({ holderIdentity: str, leaseDurationSeconds: int32, acquireTime: microTime, renewTime: microTime, leaseTransitions: int32 }),
};

/** The kinds kubectl validates against these definitions (the fake does not advertise field validation for them). */
export const CLIENT_VALIDATED_KINDS = new Set(['ConfigMap', 'CronJob', 'ServiceAccount', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'Lease']);

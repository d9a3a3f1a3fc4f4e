/**
 * A connected kubernetes target: the API clients for one context and namespace. Connecting checks that the API
 * server answers (GET /version), that the namespace exists, and, with a SelfSubjectAccessReview per permission,
 * that the experiment's types are allowed; under `recover` it only builds the clients (the revert says what fails).
 */
import * as k8s from '@kubernetes/client-node';
import { ChaosError, ExitCode, messageOf } from '../../errors.js';
import type { ConnectPurpose, Connection, PluginContext, SafetyLimits } from '../api.js';
import { describePermission, permissionsFor } from './access.js';
import { isNotFound, kubeCall, toChaosError } from './api-error.js';
import type { KubernetesConfig } from './config.js';

export class KubernetesSession {
  readonly core: k8s.CoreV1Api;
  readonly apps: k8s.AppsV1Api;
  readonly networking: k8s.NetworkingV1Api;
  readonly objects: k8s.KubernetesObjectApi;
  readonly custom: k8s.CustomObjectsApi;
  readonly authorization: k8s.AuthorizationV1Api;

  constructor(
    readonly targetName: string,
    readonly namespace: string,
    readonly purpose: ConnectPurpose,
    readonly safety: SafetyLimits | null,
    readonly kubeConfig: k8s.KubeConfig,
  ) {
    this.core = kubeConfig.makeApiClient(k8s.CoreV1Api);
    this.apps = kubeConfig.makeApiClient(k8s.AppsV1Api);
    this.networking = kubeConfig.makeApiClient(k8s.NetworkingV1Api);
    this.custom = kubeConfig.makeApiClient(k8s.CustomObjectsApi);
    this.authorization = kubeConfig.makeApiClient(k8s.AuthorizationV1Api);
    this.objects = k8s.KubernetesObjectApi.makeApiClient(kubeConfig);
  }

  /** Runs an API call; an API error becomes a ChaosError naming this target. */
  call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return kubeCall(this.targetName, what, fn);
  }
}

/** Header options that make a client-node patch call send the given patch type. */
export function patchAs(strategy: k8s.PatchStrategy): ReturnType<typeof k8s.setHeaderOptions> {
  return k8s.setHeaderOptions('Content-Type', strategy);
}

function loadKubeConfig(config: KubernetesConfig, targetName: string): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  try {
    if (config.inCluster) kc.loadFromCluster();
    else if (config.kubeconfig !== undefined) kc.loadFromFile(config.kubeconfig);
    else kc.loadFromDefault();
  } catch (error) {
    throw new ChaosError(`target ${targetName}: cannot load the kubeconfig: ${messageOf(error)}`, {
      code: 'E_KUBE_CONFIG', exitCode: ExitCode.Infrastructure, hint: 'set `kubeconfig`, or KUBECONFIG, or `inCluster: true` inside a pod',
    });
  }
  if (config.context !== undefined) {
    if (kc.getContextObject(config.context) === null) {
      const known = kc.getContexts().map((c) => c.name).join(', ') || 'none';
      throw new ChaosError(`target ${targetName}: the kubeconfig has no context "${config.context}" (it has: ${known})`, {
        code: 'E_KUBE_CONFIG', exitCode: ExitCode.Infrastructure, hint: 'list contexts with `kubectl config get-contexts`',
      });
    }
    kc.setCurrentContext(config.context);
  }
  if (kc.getCurrentCluster() === null) {
    throw new ChaosError(`target ${targetName}: the kubeconfig names no cluster`, {
      code: 'E_KUBE_CONFIG', exitCode: ExitCode.Infrastructure, hint: 'check the kubeconfig and its current context',
    });
  }
  return kc;
}

export async function connectKubernetes(config: KubernetesConfig, ctx: PluginContext): Promise<Connection<KubernetesSession>> {
  const kc = loadKubeConfig(config, ctx.targetName);
  const session = new KubernetesSession(ctx.targetName, config.namespace, ctx.purpose, ctx.safety ?? null, kc);
  const server = kc.getCurrentCluster()?.server ?? '';
  const attributes = { namespace: config.namespace, server };
  if (ctx.purpose === 'recover') return { session, attributes };

  const infra = ExitCode.Infrastructure;
  const version = await kubeCall(ctx.targetName, `no Kubernetes API answers at ${server}`, () => kc.makeApiClient(k8s.VersionApi).getCode(), infra);
  try {
    await session.core.readNamespace({ name: config.namespace });
  } catch (error) {
    if (isNotFound(error)) {
      throw new ChaosError(`target ${ctx.targetName}: namespace "${config.namespace}" does not exist on ${server}`, {
        code: 'E_KUBE_NAMESPACE', exitCode: infra, hint: 'check `namespace:` of the target (kubectl get namespaces)',
      });
    }
    // Reading namespaces is often not granted to a namespaced role; the access review below says what matters.
    if ((toChaosError(ctx.targetName, '', error).code) !== 'E_KUBE_FORBIDDEN') throw toChaosError(ctx.targetName, 'reading the namespace', error, infra);
  }
  const denied: string[] = [];
  for (const perm of permissionsFor(ctx.uses ?? [])) {
    const namespace = perm.cluster ? undefined : config.namespace;
    const review = await kubeCall(ctx.targetName, 'checking permissions (SelfSubjectAccessReview)', () =>
      session.authorization.createSelfSubjectAccessReview({
        body: {
          apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview',
          spec: { resourceAttributes: { verb: perm.verb, group: perm.group, resource: perm.resource, ...(perm.subresource ? { subresource: perm.subresource } : {}), ...(namespace ? { namespace } : {}) } },
        },
      }), infra);
    if (review.status?.allowed !== true) denied.push(describePermission(perm, namespace ?? null));
  }
  if (denied.length > 0) {
    throw new ChaosError(`target ${ctx.targetName}: missing permissions: ${denied.join('; ')}`, {
      code: 'E_KUBE_FORBIDDEN', exitCode: infra,
      hint: `grant them to the user of context "${kc.getCurrentContext()}" (a Role/RoleBinding, or a ClusterRole for nodes); nothing was injected`,
    });
  }
  ctx.logger.debug(`target ${ctx.targetName}: Kubernetes ${version.gitVersion} at ${server}, namespace ${config.namespace}`);
  return { session, attributes };
}

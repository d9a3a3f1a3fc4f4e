/**
 * The settings of a `kubernetes` target: where the cluster is (kubeconfig by the default loading rules, a file, a
 * named context, or in-cluster) and the namespace the faults act in.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { defineTarget } from '../api.js';
import { apiPermissionsOf } from './access.js';

export const kubernetesConfigSchema = z
  .object({
    kubeconfig: z.string().min(1).optional().describe('a kubeconfig file; default: $KUBECONFIG, then ~/.kube/config'),
    context: z.string().min(1).optional().describe('a context of the kubeconfig; default: its current context'),
    inCluster: z.boolean().default(false).describe('use the service account of the pod the run runs in'),
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'expected a namespace name (a DNS label)' }).default('default').describe('the namespace faults, probes and actions act in'),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.inCluster && (config.kubeconfig !== undefined || config.context !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['inCluster'], message: '`inCluster` takes no `kubeconfig` or `context`' });
    }
  });

export type KubernetesConfig = z.output<typeof kubernetesConfigSchema>;

/** The cluster and namespace a target points at, for locks and for refusing runs while faults are unrecovered. */
export function kubernetesTargetKey(config: KubernetesConfig): string {
  if (config.inCluster) return `kubernetes:in-cluster/${config.namespace}`;
  const file = config.kubeconfig !== undefined ? resolve(config.kubeconfig) : (process.env.KUBECONFIG ?? '~/.kube/config');
  return `kubernetes:${file}#${config.context ?? '(current)'}/${config.namespace}`;
}

/** The `kubernetes` target kind. */
export const kubernetesTarget = defineTarget({
  config: kubernetesConfigSchema,
  attributes: ['namespace', 'server'],
  targetKey: kubernetesTargetKey,
  apiPermissions: apiPermissionsOf,
});

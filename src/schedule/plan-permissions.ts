/**
 * The Kubernetes API permissions a plan's experiments need, as each plugin declares them for its targets (its
 * `apiPermissions`: the kubernetes plugin's are the ones it checks with SelfSubjectAccessReviews when it
 * connects), so the RBAC `chaos schedule --emit` writes grants exactly those and nothing more.
 */
import { typesUsing } from '../engine/targets.js';
import type { LoadedPlan } from '../gameday/load-plan.js';
import type { ApiPermission } from '../plugins/api.js';
import type { Registry } from '../plugins/registry.js';

export function planPermissions(loaded: LoadedPlan, registry: Registry): ApiPermission[] {
  const seen = new Map<string, ApiPermission>();
  for (const run of loaded.runs) {
    const { experiment } = run.loaded;
    for (const target of Object.values(experiment.targets)) {
      const plugin = registry.plugins.get(target.type);
      for (const permission of plugin?.apiPermissions?.(target.config, typesUsing(experiment, target.name)) ?? []) {
        seen.set(JSON.stringify([permission.namespace, permission.group, permission.resource, permission.subresource ?? '', permission.verb]), permission);
      }
    }
  }
  return [...seen.values()];
}

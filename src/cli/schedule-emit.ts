/**
 * `chaos schedule <plan> --emit cronjob|reconciler`: instead of scheduling here, write the Kubernetes manifests
 * that run the plan's game days in a cluster (ConfigMap, ServiceAccount and RBAC with exactly the permissions the
 * plan needs plus the state's, CronJob: schedule/cronjob.ts), or the Deployment of `chaos recover --watch` that
 * reverts what a dead runner pod left (schedule/reconciler.ts), to stdout or into a folder.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ExitCode } from '../errors.js';
import type { LoadedPlan } from '../gameday/load-plan.js';
import type { Registry } from '../plugins/registry.js';
import { cronJobManifests, kubernetesName, manifestsYaml } from '../schedule/cronjob.js';
import { planPermissions } from '../schedule/plan-permissions.js';
import { reconcilerManifests } from '../schedule/reconciler.js';
import type { CliIo, Output } from './io.js';

export const EMIT_DEFAULTS = { image: 'chaosdrill-runner:latest', namespace: 'default' } as const;

export interface EmitFlags {
  emit: 'cronjob' | 'reconciler';
  image?: string;
  namespace?: string;
  output?: string;
}

export async function emitManifests(io: CliIo, out: Output, loaded: LoadedPlan, registry: Registry, flags: EmitFlags): Promise<ExitCode> {
  const permissions = planPermissions(loaded, registry);
  const image = flags.image ?? EMIT_DEFAULTS.image;
  const namespace = flags.namespace ?? EMIT_DEFAULTS.namespace;
  const manifests =
    flags.emit === 'cronjob'
      ? await cronJobManifests(loaded, { image, namespace, cwd: io.cwd, permissions })
      : reconcilerManifests({ image, namespace, envSecret: `${kubernetesName(loaded.plan.name)}-env`, permissions });
  const text = manifestsYaml(manifests);
  if (!flags.output) {
    io.stdout.write(text);
    return ExitCode.Ok;
  }
  const dir = resolve(io.cwd, flags.output);
  const file = join(dir, flags.emit === 'cronjob' ? 'gameday-cronjob.yaml' : 'reconciler.yaml');
  await mkdir(dir, { recursive: true });
  await writeFile(file, text);
  const kinds = [...new Set(manifests.map((m) => (m as { kind: string }).kind))].join(', ');
  out.result(`wrote ${file} (${kinds}; apply with kubectl apply -f ${flags.output})`);
  return ExitCode.Ok;
}

/**
 * `chaos schedule <plan> --emit cronjob`: instead of scheduling here, write the Kubernetes manifests (ConfigMap and
 * CronJob, built by schedule/cronjob.ts) that run the plan's game days in a cluster, to stdout or into a folder.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ExitCode } from '../errors.js';
import type { LoadedPlan } from '../gameday/load-plan.js';
import { cronJobManifests, manifestsYaml } from '../schedule/cronjob.js';
import type { CliIo, Output } from './io.js';

export const EMIT_DEFAULTS = { image: 'chaosdrill-runner:latest', namespace: 'default' } as const;

export interface EmitFlags {
  image?: string;
  namespace?: string;
  output?: string;
}

export async function emitCronJob(io: CliIo, out: Output, loaded: LoadedPlan, flags: EmitFlags): Promise<ExitCode> {
  const manifests = manifestsYaml(await cronJobManifests(loaded, { image: flags.image ?? EMIT_DEFAULTS.image, namespace: flags.namespace ?? EMIT_DEFAULTS.namespace, cwd: io.cwd }));
  if (!flags.output) {
    io.stdout.write(manifests);
    return ExitCode.Ok;
  }
  const dir = resolve(io.cwd, flags.output);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'gameday-cronjob.yaml'), manifests);
  out.result(`wrote ${join(dir, 'gameday-cronjob.yaml')} (ConfigMap and CronJob; apply with kubectl apply -f ${flags.output})`);
  return ExitCode.Ok;
}

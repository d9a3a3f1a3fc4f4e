/**
 * `chaos schedule <plan> --emit cronjob`: Kubernetes manifests that run the plan's game days in a cluster.
 * The runner keeps its state (ledger, locks, liveness) in the API server (`--state kubernetes://NAMESPACE`), never
 * on the pod: a runner pod that dies leaves its ledger where `chaos recover --watch` (`--emit reconciler`) finds
 * it. It runs as its own ServiceAccount, granted exactly what the plan's experiments need plus the state's Leases
 * and ConfigMaps (rbac.ts).
 * A ConfigMap holds the plan and every experiment file it names, under flattened keys (a ConfigMap key is
 * `[-._a-zA-Z0-9]+`), and the plan copy's paths are rewritten to those keys: mounted as one folder, the plan finds
 * its experiments next to it. A batch/v1 CronJob runs `chaos gameday` on the mounted plan on the plan's schedule
 * and time zone, never two at once (`concurrencyPolicy: Forbid`, and the game day's own lock), never retried
 * (a retried chaos experiment is a second experiment, not a retry), as a non-root user.
 */
import { readFile } from 'node:fs/promises';
import { basename, posix, resolve, sep } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { ChaosError, ExitCode } from '../errors.js';
import type { LoadedPlan } from '../gameday/load-plan.js';
import type { ApiPermission } from '../plugins/api.js';
import { rbacManifests, statePermissions } from './rbac.js';

export interface CronJobOptions {
  image: string;
  namespace: string;
  cwd: string;
  /** What the plan's experiments need of the Kubernetes API (plan-permissions.ts). */
  permissions: readonly ApiPermission[];
}

/** Local scratch of the runner (e.g. `chaos lab up` state): on the pod's tmp emptyDir; the run's state is not there. */
const SCRATCH_DIR = '/tmp/chaosdrill';

/** Where the ConfigMap is mounted in the runner container. */
export const PLAN_MOUNT = '/etc/chaosdrill/gameday';
/** The runner image's working directory (runner.Dockerfile): experiment-relative files (apps, k6 scripts) are there. */
export const RUNNER_WORKDIR = '/app';
export const PLAN_KEY = 'plan.yaml';

/** A CronJob name is a DNS-1123 label of at most 52 characters (the controller appends 11 to its Jobs' names). */
export function kubernetesName(planName: string): string {
  const name = `chaos-gameday-${planName}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-');
  return name.slice(0, 52).replace(/-+$/, '');
}

/** `experiments/process-pause.yaml` → `experiments_process-pause.yaml`; unique with an index prefix when needed. */
export function configMapKeys(files: readonly string[]): string[] {
  const keys: string[] = [];
  for (const [i, file] of files.entries()) {
    const flat = file.split(sep).join('/').split('/').filter((p) => p !== '..' && p !== '.' && p !== '').join('_').replace(/[^-._a-zA-Z0-9]/g, '_');
    let key = flat === '' || flat === PLAN_KEY ? `${i + 1}-${basename(file)}` : flat;
    if (keys.includes(key)) key = `${i + 1}-${key}`;
    keys.push(key.slice(-253));
  }
  return keys;
}

/** The manifests as objects: the plan's ConfigMap, the ServiceAccount and its roles and bindings, the CronJob. */
export async function cronJobManifests(loaded: LoadedPlan, options: CronJobOptions): Promise<object[]> {
  const schedule = loaded.plan.schedule;
  if (schedule === undefined) {
    throw new ChaosError(`the plan ${loaded.file} has no schedule`, {
      code: 'E_NO_SCHEDULE', exitCode: ExitCode.InvalidInput, hint: "add `schedule: { cron: '0 9 * * 1', timezone: Europe/Berlin }`",
    });
  }
  if (schedule.cron.trim().split(/\s+/).length !== 5) {
    throw new ChaosError(`a Kubernetes CronJob takes a 5-field cron expression; "${schedule.cron}" has seconds`, {
      code: 'E_CRON_SECONDS', exitCode: ExitCode.InvalidInput, hint: 'use minute hour day month weekday, e.g. "0 9 * * 1"',
    });
  }
  const name = kubernetesName(loaded.plan.name);
  const files = loaded.runs.map((r) => r.file);
  const unique = [...new Set(files)];
  const keys = configMapKeys(unique);
  const keyOf = new Map(unique.map((f, i) => [f, keys[i]]));

  const planDoc = parseDocument(loaded.text);
  loaded.runs.forEach((run, i) => planDoc.setIn(['experiments', i, 'path'], keyOf.get(run.file)));
  const data: Record<string, string> = { [PLAN_KEY]: planDoc.toString() };
  for (const file of unique) data[keyOf.get(file)!] = (await readFile(resolve(options.cwd, file))).toString('utf8');

  const labels = { 'app.kubernetes.io/name': 'chaosdrill', 'app.kubernetes.io/component': 'gameday', 'chaosdrill.dev/plan': name.slice('chaos-gameday-'.length) || 'plan' };
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${name}-plan`, namespace: options.namespace, labels },
    data,
  };
  const cronJob = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: options.namespace, labels },
    spec: {
      schedule: schedule.cron,
      timeZone: schedule.timezone,
      concurrencyPolicy: 'Forbid',
      // A game day that could not start within 10 minutes of its time waits for the next one.
      startingDeadlineSeconds: 600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 5,
      jobTemplate: {
        metadata: { labels },
        spec: {
          backoffLimit: 0,
          template: {
            metadata: { labels },
            spec: {
              serviceAccountName: name,
              restartPolicy: 'Never',
              securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [
                {
                  name: 'chaos',
                  image: options.image,
                  workingDir: RUNNER_WORKDIR,
                  args: ['gameday', posix.join(PLAN_MOUNT, PLAN_KEY), '--ci', '--state', `kubernetes://${options.namespace}`, '--state-dir', SCRATCH_DIR],
                  env: [{ name: 'CI', value: 'true' }],
                  // Values for the plan's `secrets:` (webhook URLs, tokens), when the Secret exists.
                  envFrom: [{ secretRef: { name: `${name}-env`, optional: true } }],
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                  volumeMounts: [
                    { name: 'plan', mountPath: PLAN_MOUNT, readOnly: true },
                    { name: 'reports', mountPath: posix.join(RUNNER_WORKDIR, 'reports') },
                    { name: 'tmp', mountPath: '/tmp' },
                  ],
                },
              ],
              volumes: [
                { name: 'plan', configMap: { name: `${name}-plan` } },
                { name: 'reports', emptyDir: {} },
                { name: 'tmp', emptyDir: {} },
              ],
            },
          },
        },
      },
    },
  };
  const rbac = rbacManifests(name, options.namespace, 'gameday', [...statePermissions(options.namespace), ...options.permissions]);
  return [configMap, ...rbac, cronJob];
}

/** One YAML stream, in order: what the CronJob mounts and runs as comes before it. */
export function manifestsYaml(manifests: readonly object[]): string {
  return manifests.map((m) => stringify(m, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}

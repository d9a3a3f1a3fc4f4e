/** The `kubernetes` plugin's types as the registry knows them before the plugin is loaded: names, descriptions, schemas. */
import { z } from 'zod';
import { jsonValueSchema } from '../../json.js';
import { durationSchema } from '../../units/duration.js';
import { percentSchema } from '../../units/percent.js';
import type { ActionSpec, FaultSpec, ProbeSpec } from '../api.js';
import { toleranceSchema } from '../../units/tolerance-schema.js';
import { selectionSchema } from '../shared/selection.js';

const podSelectorParams = {
  labelSelector: z.string().min(1).describe('a label selector, e.g. app=web,tier!=cache'),
  fieldSelector: z.string().min(1).optional().describe('a field selector, e.g. status.phase=Running'),
};

const labels = z.record(z.string(), z.string());

const CHAOS_MESH_GROUP = 'chaos-mesh.org';

export const podKillSpec = {
  type: 'kubernetes.pod-kill',
  description: 'Delete pods chosen by a selector and `select` (one, all, a count, a percentage), at random with a recorded seed',
  params: z
    .object({
      ...podSelectorParams,
      select: selectionSchema.default('one'),
      seed: z.int().min(0).optional().describe('the random seed of the selection; default: a new one, recorded'),
      gracePeriod: durationSchema.optional().describe("how long each pod may take to stop; default: the pod's own"),
    })
    .strict(),
} satisfies FaultSpec;

export const networkPartitionSpec = {
  type: 'kubernetes.network-partition',
  description: 'A NetworkPolicy denying ingress/egress of the selected pods (needs a CNI that enforces NetworkPolicy)',
  params: z
    .object({
      podSelector: labels.describe('labels of the pods to cut off, e.g. { app: orders }'),
      direction: z.enum(['ingress', 'egress', 'both']).default('both'),
      peer: labels.optional().describe('only cut traffic from/to pods with these labels; default: all traffic'),
    })
    .strict(),
} satisfies FaultSpec;

export const scaleSpec = {
  type: 'kubernetes.scale',
  description: 'Scale a Deployment or StatefulSet to N replicas; revert restores the recorded count',
  params: z
    .object({
      kind: z.enum(['Deployment', 'StatefulSet']).default('Deployment'),
      name: z.string().min(1).describe('the Deployment or StatefulSet'),
      replicas: z.int().min(0).describe('the replica count while the fault is active'),
    })
    .strict(),
} satisfies FaultSpec;

export const nodeDrainSpec = {
  type: 'kubernetes.node-drain',
  description: 'Cordon nodes and evict their pods (respecting PodDisruptionBudgets, leaving DaemonSet pods); revert uncordons',
  params: z
    .object({
      name: z.string().min(1).optional().describe('the node to drain'),
      selector: z.string().min(1).optional().describe('a node label selector, e.g. pool=spot; `select` picks among them'),
      select: selectionSchema.default('one'),
      seed: z.int().min(0).optional().describe('the random seed of the node selection; default: a new one, recorded'),
      gracePeriod: durationSchema.optional().describe("how long each evicted pod may take to stop; default: the pod's own"),
      timeout: durationSchema.prefault('60s').describe('how long evictions (retried while a PodDisruptionBudget refuses) and pod terminations may take'),
      respectPodDisruptionBudgets: z.boolean().default(true).describe('evict through the eviction API (false: delete the pods, like kubectl drain --disable-eviction)'),
      ignoreDaemonSets: z.boolean().default(true).describe('leave DaemonSet pods in place (false: refuse to drain a node that runs any, like kubectl)'),
    })
    .strict()
    .superRefine((p, ctx) => {
      if ((p.name === undefined) === (p.selector === undefined)) ctx.addIssue({ code: 'custom', path: ['name'], message: 'give exactly one of `name` and `selector`' });
    }),
} satisfies FaultSpec;

export const chaosMeshSpec = {
  type: 'kubernetes.chaos-mesh',
  description: "Create a Chaos Mesh resource given inline; revert deletes it (Chaos Mesh's controllers do the rest)",
  params: z
    .object({
      kind: z.string().regex(/^[A-Z][A-Za-z]+$/).describe('a Chaos Mesh kind, e.g. PodChaos, NetworkChaos'),
      apiVersion: z.string().startsWith(`${CHAOS_MESH_GROUP}/`).default(`${CHAOS_MESH_GROUP}/v1alpha1`),
      spec: z.record(z.string(), jsonValueSchema).describe("the resource's spec, as Chaos Mesh documents it"),
    })
    .strict(),
} satisfies FaultSpec;

export const podsReadySpec = {
  type: 'kubernetes.pods-ready',
  description: 'Whether enough pods of a selector are Ready (a count, or a percentage; default all, at least one)',
  needsTarget: true,
  params: z
    .object({
      ...podSelectorParams,
      atLeast: z.int().min(0).optional().describe('at least this many Ready pods'),
      percent: percentSchema.optional().describe('at least this share of the matching pods Ready; default 100% (and at least one pod)'),
    })
    .strict(),
} satisfies ProbeSpec;

export const deploymentAvailableSpec = {
  type: 'kubernetes.deployment-available',
  description: 'Whether a Deployment is fully rolled out with every replica available',
  needsTarget: true,
  params: z.object({ deployment: z.string().min(1) }).strict(),
} satisfies ProbeSpec;

export const resourceSpec = {
  type: 'kubernetes.resource',
  description: 'A value in any object (JSON path), checked against a tolerance',
  needsTarget: true,
  params: z
    .object({
      apiVersion: z.string().min(1).describe('e.g. apps/v1, chaos-mesh.org/v1alpha1'),
      kind: z.string().min(1).describe('e.g. Deployment'),
      name: z.string().min(1),
      namespace: z.string().min(1).optional().describe("default: the target's; ignored for cluster-scoped kinds"),
      path: z.string().min(1).default('$').describe('a JSON path into the object, e.g. $.status.readyReplicas'),
      expect: toleranceSchema.optional().describe('the value (or a tolerance) at `path`; default: the object exists'),
    })
    .strict(),
} satisfies ProbeSpec;

export const deploySpec = {
  type: 'kubernetes.deploy',
  description: "Set a container's image on a Deployment and wait for the rollout (as kubectl rollout status)",
  needsTarget: true,
  params: z
    .object({
      deployment: z.string().min(1),
      container: z.string().min(1).optional().describe('the container to update; default: the only one'),
      image: z.string().min(1).describe('the new image, e.g. registry/shop:1.4.2'),
      timeout: durationSchema.prefault('5m').describe('how long the rollout may take before the action fails'),
      maxDuration: durationSchema.optional().describe('the drill objective: fail when the rollout took longer'),
    })
    .strict(),
} satisfies ActionSpec;

export const rollbackSpec = {
  type: 'kubernetes.rollback',
  description: 'Roll a Deployment back to the previous or a given revision (as kubectl rollout undo) and wait',
  needsTarget: true,
  params: z
    .object({
      deployment: z.string().min(1),
      toRevision: z.int().min(1).optional().describe('the revision to go back to; default: the previous one'),
      timeout: durationSchema.prefault('5m').describe('how long the rollout may take before the action fails'),
      maxDuration: durationSchema.optional().describe('the drill objective: fail when rolling back took longer'),
    })
    .strict(),
} satisfies ActionSpec;

export const rolloutRestartSpec = {
  type: 'kubernetes.rollout-restart',
  description: "Restart a Deployment's pods with a rolling update (as kubectl rollout restart) and wait",
  needsTarget: true,
  params: z
    .object({
      deployment: z.string().min(1),
      timeout: durationSchema.prefault('5m').describe('how long the rollout may take before the action fails'),
      maxDuration: durationSchema.optional().describe('the drill objective: fail when the restart took longer'),
    })
    .strict(),
} satisfies ActionSpec;

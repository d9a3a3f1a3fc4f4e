/** The `lab` plugin's types as the registry knows them before the plugin is loaded: names, descriptions, schemas. */
import { z } from 'zod';
import { durationSchema } from '../../units/duration.js';
import { percentSchema } from '../../units/percent.js';
import { selectionSchema } from '../shared/selection.js';
import { labSettingsSchema } from '../../lab/contract/lab-settings.js';
import { defineTarget, type ActionSpec, type FaultSpec, type ProbeSpec } from '../api.js';
import { withoutCredentials } from '../shared/url-credentials.js';
import { regionSchema } from './params.js';

/** What a connected lab target publishes for `${targets.X.attr}`. */
export const LAB_ATTRIBUTES = ['url', 'proxyApi', 'events', 'dir', 'pid', 'regionA', 'regionB', 'proxies'] as const;

/** The `lab` target kind: a lab started for the run, or the one `chaos lab up` keeps running (`url`). */
export const labTarget = defineTarget({
  config: labSettingsSchema,
  attributes: LAB_ATTRIBUTES,
  // One lab per name: two runs must not fault the same lab at once.
  targetKey: (config) => (config.url === undefined ? `lab:${config.name}` : `lab:${withoutCredentials(config.url)}`),
});

export const killInstanceSpec = {
  type: 'lab.kill-instance',
  description: 'SIGKILL instances of a region (`select`: one, all, a count, a percentage); the lab restarts them after restartDelay',
  params: z
    .object({
      region: regionSchema.default('a'),
      select: selectionSchema.default('one'),
      seed: z.number().int().min(0).optional().describe('the random choice\'s seed (recorded; set it to replay a choice)'),
    })
    .strict(),
} satisfies FaultSpec;

export const regionOutageSpec = {
  type: 'lab.region-outage',
  description: "Take a region off the network (its proxies down); revert brings it back without failing back",
  params: z.object({ region: regionSchema.default('a') }).strict(),
} satisfies FaultSpec;

export const partitionSpec = {
  type: 'lab.partition',
  description: 'Cut the replication link between the regions; revert heals it',
  params: z.object({}).strict(),
} satisfies FaultSpec;

export const latencySpec = {
  type: 'lab.latency',
  description: "Add latency to a region's answers (through its proxies)",
  params: z
    .object({
      region: regionSchema.default('a'),
      latency: durationSchema.describe('added to every answer'),
      jitter: durationSchema.prefault('0ms').describe('± random variation'),
    })
    .strict(),
} satisfies FaultSpec;

export const dataLossSpec = {
  type: 'lab.data-loss',
  description: "Destroy a region's orders (lab data only); revert restores the newest backup (take one with lab.backup first)",
  params: z.object({ region: regionSchema.optional().describe('default: the primary region') }).strict(),
} satisfies FaultSpec;

export const statusSpec = {
  type: 'lab.status',
  description: "Check the lab's primary region, running instances, versions and replication lag",
  needsTarget: true,
  params: z
    .object({
      region: regionSchema.default('a').describe('the region `running` and `version` refer to'),
      primary: regionSchema.optional().describe('the region expected to be primary'),
      running: z.number().int().min(0).optional().describe('instances of `region` expected running'),
      version: z.string().min(1).optional().describe('the version every instance of `region` is expected to run'),
      maxLag: durationSchema.optional().describe('the replication lag must be at most this'),
      minLag: durationSchema.optional().describe('the replication lag must be at least this (the standby is behind)'),
      linkUp: z.boolean().optional().describe('whether replication is expected to ship'),
    })
    .strict(),
} satisfies ProbeSpec;

export const failbackSpec = {
  type: 'lab.failback',
  description: "Make a region primary again (default a) once it is healthy; replication follows",
  needsTarget: true,
  params: z.object({ region: regionSchema.default('a') }).strict(),
} satisfies ActionSpec;

export const backupSpec = {
  type: 'lab.backup',
  description: "Take an online backup (SQLite backup API) of a region's database (default: the primary's)",
  needsTarget: true,
  params: z.object({ region: regionSchema.optional() }).strict(),
} satisfies ActionSpec;

export const destroyDataSpec = {
  type: 'lab.destroy-data',
  description: "Delete every order in a region's database (lab data only; default: the primary's)",
  needsTarget: true,
  params: z.object({ region: regionSchema.optional() }).strict(),
} satisfies ActionSpec;

export const restoreSpec = {
  type: 'lab.restore',
  description: "Restore a region's database (default: the primary's) from the newest backup",
  needsTarget: true,
  params: z.object({ region: regionSchema.optional() }).strict(),
} satisfies ActionSpec;

export const deploySpec = {
  type: 'lab.deploy',
  description: 'Deploy a version (rolling or canary with a health gate; flag it bad to drill a rollback)',
  needsTarget: true,
  params: z
    .object({
      version: z.string().min(1).describe('the version to deploy'),
      strategy: z.enum(['rolling', 'canary']).default('rolling'),
      bad: z
        .object({
          errorRate: percentSchema.prefault('0%').describe('share of order requests the version answers with 500'),
          latency: durationSchema.prefault('0ms').describe('latency the version adds to order requests'),
        })
        .strict()
        .optional()
        .describe('flag the version bad'),
      observe: durationSchema.prefault('3s').describe('how long the canary is watched'),
      maxErrorRate: percentSchema.prefault('5%').describe("the canary gate: the canary's highest acceptable error rate"),
      pause: durationSchema.prefault('200ms').describe('wait between instances'),
      outcome: z.enum(['completed', 'rolled-back']).default('completed').describe('the outcome the drill expects'),
      rollbackWithin: durationSchema.prefault('10s').describe('budget from the canary serving to the rollback done'),
      maxFailedRequests: z.number().int().min(0).optional().describe('fail the step when the router answered more failed requests during the deploy'),
    })
    .strict(),
} satisfies ActionSpec;

export const rollbackSpec = {
  type: 'lab.rollback',
  description: "Put every instance back on the release before the newest deploy, one at a time",
  needsTarget: true,
  params: z.object({}).strict(),
} satisfies ActionSpec;

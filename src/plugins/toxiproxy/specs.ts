/** The `toxiproxy` plugin's types as the registry knows them before the plugin is loaded: names, descriptions, schemas. */
import { z } from 'zod';
import { durationSchema } from '../../units/duration.js';
import { percentSchema } from '../../units/percent.js';
import type { FaultSpec, ProbeSpec, ResourceSpec } from '../api.js';

/** The parameters every toxic fault takes, besides its own. */
const commonToxicParams = {
  proxy: z.string().min(1).describe('the proxy name on the target'),
  stream: z.enum(['downstream', 'upstream']).default('downstream').describe('downstream: server → client; upstream: client → server'),
  toxicity: percentSchema.prefault('100%').describe('the share of connections affected, rolled per connection'),
};

export const latencySpec = {
  type: 'toxiproxy.latency',
  description: 'Delay the data through a proxy by latency ± jitter',
  params: z
    .object({
      ...commonToxicParams,
      latency: durationSchema.describe('the delay added to the data'),
      jitter: durationSchema.prefault('0ms').describe('± this much, drawn uniformly per chunk'),
    })
    .strict(),
} satisfies FaultSpec;

export const bandwidthSpec = {
  type: 'toxiproxy.bandwidth',
  description: 'Limit the bandwidth of each connection through a proxy (KB/s)',
  params: z.object({ ...commonToxicParams, rate: z.int().min(1).describe('KB/s (1 KB = 1000 bytes)') }).strict(),
} satisfies FaultSpec;

export const timeoutSpec = {
  type: 'toxiproxy.timeout',
  description: 'Stop all data through a proxy; close connections after the timeout (0s: hold them)',
  params: z
    .object({ ...commonToxicParams, timeout: durationSchema.prefault('0s').describe('close after this long; 0s: hold until reverted') })
    .strict(),
} satisfies FaultSpec;

export const resetPeerSpec = {
  type: 'toxiproxy.reset-peer',
  description: 'Reset connections through a proxy (TCP RST) after a timeout',
  params: z
    .object({ ...commonToxicParams, timeout: durationSchema.prefault('0s').describe('reset this long after data first arrives') })
    .strict(),
} satisfies FaultSpec;

export const slicerSpec = {
  type: 'toxiproxy.slicer',
  description: 'Slice the data through a proxy into small pieces with a delay between them',
  params: z
    .object({
      ...commonToxicParams,
      averageSize: z.int().min(1).describe('average slice size in bytes'),
      sizeVariation: z.int().min(0).default(0).describe('± bytes; smaller than averageSize'),
      delay: durationSchema.prefault('0ms').describe('wait between slices'),
    })
    .strict()
    .refine((p) => p.sizeVariation < p.averageSize, { error: 'sizeVariation must be smaller than averageSize', path: ['sizeVariation'] }),
} satisfies FaultSpec;

export const limitDataSpec = {
  type: 'toxiproxy.limit-data',
  description: 'Close each connection through a proxy after a number of bytes',
  params: z.object({ ...commonToxicParams, bytes: z.int().min(0).describe('bytes let through before the close') }).strict(),
} satisfies FaultSpec;

export const slowCloseSpec = {
  type: 'toxiproxy.slow-close',
  description: 'Delay the close of connections through a proxy',
  params: z.object({ ...commonToxicParams, delay: durationSchema.describe('how long the close is held back') }).strict(),
} satisfies FaultSpec;

export const downSpec = {
  type: 'toxiproxy.down',
  description: 'Cut the link: disable the proxy (open connections cut, new ones refused); enable it on revert',
  params: z.object({ proxy: z.string().min(1).describe('the proxy name on the target') }).strict(),
} satisfies FaultSpec;

export const proxySpec = {
  type: 'toxiproxy.proxy',
  description: 'Whether a proxy exists, is enabled, and how many toxics it has',
  needsTarget: true,
  params: z
    .object({
      proxy: z.string().min(1).describe('the proxy name on the target'),
      exists: z.boolean().default(true).describe('whether the proxy must exist'),
      enabled: z.boolean().optional().describe('whether it must be enabled (true) or disabled (false)'),
      toxics: z.int().min(0).optional().describe('how many toxics it must have (0: none, the link is clean)'),
    })
    .strict(),
} satisfies ProbeSpec;

/** A proxy a run created on a real Toxiproxy server (see proxy-resource.ts). */
export const proxyResourceSpec = { type: 'toxiproxy.proxy' } satisfies ResourceSpec;

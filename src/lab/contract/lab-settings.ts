/**
 * The settings of a lab (the `lab` target's config): its name (a lab started by `chaos lab up` is found by name)
 * and the knobs that make failover, replication and restarts behave like the systems our users run.
 */
import { z } from 'zod';
import { durationSchema } from '../../units/duration.js';

export const labSettingsSchema = z
  .object({
    url: z
      .url({ protocol: /^https?$/, error: 'expected an http(s) URL, e.g. http://127.0.0.1:8080' })
      .optional()
      .describe("a running distributed lab's entry URL (docker-compose's control service); the run starts nothing and the lab's own settings apply"),
    topology: z.literal('multi-region').default('multi-region').describe('the sample system: regions A (primary) and B (standby)'),
    name: z
      .string()
      .regex(/^[a-z0-9-]+$/, { error: 'expected lowercase letters, digits and "-"' })
      .default('default')
      .describe('a run uses the lab `chaos lab up` started under this name, if one runs; else it starts its own'),
    instances: z.number().int().min(1).max(4).default(2).describe('instances of the orders service per region'),
    replicationLag: durationSchema.prefault('500ms').describe('how long a write waits before it is shipped to the standby'),
    healthInterval: durationSchema.prefault('200ms').describe('how often the router health-checks each region'),
    failoverAfter: z.number().int().min(1).default(3).describe('failed checks of the primary before the router promotes the standby'),
    promotionTime: durationSchema.prefault('300ms').describe('how long promoting the standby takes'),
    restartDelay: durationSchema.prefault('1s').describe('how long the supervisor waits before restarting a killed instance'),
  })
  .strict();

export type LabSettings = z.output<typeof labSettingsSchema>;

export const REGIONS = ['a', 'b'] as const;
export type Region = (typeof REGIONS)[number];

/** Instance names of a region: `a-1`, `a-2`… Each has a proxy of the same name in front of it. */
export function instanceNames(region: Region, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${region}-${i + 1}`);
}

/** The proxy on the replication link (primary → standby). */
export const REPLICATION_PROXY = 'replication';

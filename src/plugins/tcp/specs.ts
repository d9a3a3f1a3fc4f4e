/** The `tcp` plugin's types as the registry knows them before the plugin is loaded: names, descriptions, schemas. */
import { z } from 'zod';
import { durationSchema } from '../../units/duration.js';
import type { ProbeSpec } from '../api.js';

export const tcpSpec = {
  type: 'tcp',
  description: 'Whether a TCP port accepts connections (state: open or closed)',
  needsTarget: false,
  params: z
    .object({
      host: z.string().min(1).default('127.0.0.1'),
      port: z.number().int().min(1).max(65535),
      timeout: durationSchema.prefault('2s'),
      state: z.enum(['open', 'closed']).default('open').describe('the state the port must be in; closed: refused or no answer within the timeout'),
    })
    .strict(),
} satisfies ProbeSpec;

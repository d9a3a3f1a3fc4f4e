/** The `prometheus` plugin's types as the registry knows them before the plugin is loaded: names, descriptions, schemas. */
import { z } from 'zod';
import type { ProbeSpec } from '../api.js';
import { toleranceSchema } from '../../units/tolerance-schema.js';

export const querySpec = {
  type: 'prometheus.query',
  description: 'Run an instant PromQL query and check its single value against a tolerance',
  needsTarget: true,
  params: z
    .object({
      query: z.string().min(1).describe('PromQL evaluated now; it must return exactly one series (or a scalar)'),
      expect: toleranceSchema.describe('tolerance for the value, e.g. { range: [0, 0.01] } or 1'),
    })
    .strict(),
} satisfies ProbeSpec;

/**
 * The settings of a `prometheus` target: where its HTTP API is, and the headers every request carries (an
 * `Authorization` header may hold `${secrets.X}`; the value is redacted wherever the experiment is written).
 */
import { z } from 'zod';
import { durationSchema } from '../../units/duration.js';
import { defineTarget } from '../api.js';
import { withoutCredentials } from '../shared/url-credentials.js';

export const prometheusConfigSchema = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as http://127.0.0.1:9090' }).describe('Base URL of the Prometheus server (its HTTP API is under /api/v1)'),
    headers: z.record(z.string(), z.string()).optional().describe('Headers sent with every request, e.g. Authorization'),
    timeout: durationSchema.prefault('10s').describe('A request not answered within this failed'),
  })
  .strict();

export type PrometheusConfig = z.output<typeof prometheusConfigSchema>;

/** The `prometheus` target kind. */
export const prometheusTarget = defineTarget({
  config: prometheusConfigSchema,
  attributes: ['url'],
  // The server, not its headers or timeout, is the thing a lock is about.
  // The server, not who logs in to it: credentials in the URL are no part of its identity.
  targetKey: (config) => `prometheus:${withoutCredentials(config.url).replace(/\/+$/, '')}`,
});

/**
 * The `prometheus` plugin: a target is a Prometheus server's HTTP API. A probe checks an instant query's value;
 * PromQL-valued SLOs and guardrails (objectives.slo[].promql, safety.abortWhen[].promql) query it too. This is its
 * manifest, what the registry holds; the implementation loads when a run first needs it.
 */
import type { PluginManifest } from '../api.js';
import { withoutCredentials } from '../shared/url-credentials.js';
import { prometheusConfigSchema, type PrometheusConfig } from './config.js';
import type { PrometheusSession } from './session.js';
import { querySpec } from './specs.js';

export const prometheusPlugin: PluginManifest<PrometheusConfig, PrometheusSession> = {
  name: 'prometheus',
  description: 'A Prometheus server: PromQL probes, SLOs and guardrails',
  config: prometheusConfigSchema,
  attributes: ['url'],
  // The server, not its headers or timeout, is the thing a lock is about.
  // The server, not who logs in to it: credentials in the URL are no part of its identity.
  targetKey: (config) => `prometheus:${withoutCredentials(config.url).replace(/\/+$/, '')}`,
  probes: [querySpec],
  metricsSource: true,
  load: async () => (await import('./implementation.js')).prometheusImplementation,
};

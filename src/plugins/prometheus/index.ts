/**
 * The `prometheus` plugin: a target is a Prometheus server's HTTP API. A probe checks an instant query's value;
 * PromQL-valued SLOs and guardrails (objectives.slo[].promql, safety.abortWhen[].promql) query it too. This is its
 * manifest, what the registry holds; the implementation loads when a run first needs it.
 */
import type { ConfigOf, PluginManifest } from '../api.js';
import { prometheusTarget } from './config.js';
import type { PrometheusSession } from './session.js';
import { querySpec } from './specs.js';

export const prometheusPlugin: PluginManifest<ConfigOf<typeof prometheusTarget>, PrometheusSession> = {
  name: 'prometheus',
  description: 'A Prometheus server: PromQL probes, SLOs and guardrails',
  ...prometheusTarget,
  probes: [querySpec],
  metricsSource: true,
  load: async () => (await import('./implementation.js')).prometheusImplementation,
};

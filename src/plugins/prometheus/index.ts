/**
 * The `prometheus` plugin: a target is a Prometheus server's HTTP API. A probe checks an instant query's value;
 * PromQL-valued SLOs and guardrails (objectives.slo[].promql, safety.abortWhen[].promql) query it too.
 */
import type { ChaosPlugin } from '../api.js';
import { withoutCredentials } from '../shared/url-credentials.js';
import { prometheusConfigSchema, type PrometheusConfig } from './config.js';
import { queryProbe } from './probes/query.js';
import { connectPrometheus, type PrometheusSession } from './session.js';

export const prometheusPlugin: ChaosPlugin<PrometheusConfig, PrometheusSession> = {
  name: 'prometheus',
  description: 'A Prometheus server: PromQL probes, SLOs and guardrails',
  config: prometheusConfigSchema,
  attributes: ['url'],
  // The server, not its headers or timeout, is the thing a lock is about.
  // The server, not who logs in to it: credentials in the URL are no part of its identity.
  targetKey: (config) => `prometheus:${withoutCredentials(config.url).replace(/\/+$/, '')}`,
  connect: connectPrometheus,
  probes: [queryProbe],
  metricsSource: (session) => session,
};

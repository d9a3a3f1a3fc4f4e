/** The `prometheus` plugin's implementation, loaded on demand (see index.ts). */
import type { PluginImplementation } from '../api.js';
import type { PrometheusConfig } from './config.js';
import { queryProbe } from './probes/query.js';
import { connectPrometheus, type PrometheusSession } from './session.js';

export const prometheusImplementation: PluginImplementation<PrometheusConfig, PrometheusSession> = {
  connect: connectPrometheus,
  probes: [queryProbe],
  // Its session queries PromQL itself (see session.ts).
  metricsSource: (session) => session,
};

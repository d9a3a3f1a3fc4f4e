/** The `prometheus` plugin's implementation, loaded on demand (see index.ts). */
import type { ConfigOf, PluginImplementation } from '../api.js';
import type { prometheusTarget } from './config.js';
import { queryProbe } from './probes/query.js';
import { connectPrometheus, type PrometheusSession } from './session.js';

export const prometheusImplementation: PluginImplementation<ConfigOf<typeof prometheusTarget>, PrometheusSession> = {
  connect: connectPrometheus,
  probes: [queryProbe],
  // Its session queries PromQL itself (see session.ts).
  metricsSource: (session) => session,
};

/**
 * Connecting a `prometheus` target: the server must answer /-/ready. Nothing is started or changed, so every
 * purpose (run, plan, recover) connects the same way.
 */
import { ChaosError, ExitCode, messageOf } from '../../errors.js';
import type { Connection, MetricsSource, PluginContext } from '../api.js';
import { PrometheusClient, type PromResult } from './api-client.js';
import type { PrometheusConfig } from './config.js';
import { singleRangeSeries, singleInstantValue } from './sample-value.js';

/** What a connected target offers; as a MetricsSource, the engine's PromQL objectives and guardrails query it. */
export interface PrometheusSession extends MetricsSource {
  client: PrometheusClient;
}

export function prometheusSession(client: PrometheusClient): PrometheusSession {
  return {
    client,
    instantValue: async (query, signal) => singleInstantValue(query, await client.instantQuery(query, signal)),
    rangeSeries: async (query, start, end, stepMs, signal) => {
      const data: PromResult = await client.rangeQuery(query, start, end, stepMs, signal);
      return singleRangeSeries(query, data);
    },
  };
}

export async function connectPrometheus(config: PrometheusConfig, ctx: PluginContext): Promise<Connection<PrometheusSession>> {
  const client = new PrometheusClient(config);
  try {
    await client.checkReady(ctx.signal);
  } catch (error) {
    throw new ChaosError(`prometheus target "${ctx.targetName}" (${client.url}) is not reachable: ${messageOf(error)}`, {
      code: 'E_TARGET_UNREACHABLE',
      exitCode: ExitCode.Infrastructure,
      hint: `check that Prometheus runs at ${client.url} and answers ${client.url}/-/ready; nothing was injected`,
      cause: error,
    });
  }
  return { session: prometheusSession(client), attributes: { url: client.url } };
}

/**
 * The metrics source behind a PromQL objective or guardrail: the connected target it names, asked for its
 * `metricsSource` capability. The experiment's semantic checks already made sure the target's plugin has it; this
 * is the run-time guard.
 */
import type { MetricsSource } from '../../plugins/api.js';
import type { RunContext } from '../run-context.js';

export function metricsSourceOf(ctx: Pick<RunContext, 'targets'>, targetName: string): MetricsSource {
  const connected = ctx.targets.get(targetName);
  if (!connected) throw new Error(`target "${targetName}" is not connected`);
  const source = connected.plugin.metricsSource?.(connected.connection.session);
  if (!source) throw new Error(`target "${targetName}" is a ${connected.plugin.name} target, which answers no PromQL`);
  return source;
}

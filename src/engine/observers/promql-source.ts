/**
 * The PromQL source behind an objective or a guardrail: the session of the connected prometheus target it names.
 * The experiment's semantic checks already made sure the name is a prometheus target; this is the run-time guard.
 */
import type { PromqlSource } from '../../measure/promql.js';
import type { RunContext } from '../run-context.js';

export function promqlSourceOf(ctx: Pick<RunContext, 'targets'>, targetName: string): PromqlSource {
  const connected = ctx.targets.get(targetName);
  if (!connected) throw new Error(`target "${targetName}" is not connected`);
  if (connected.plugin.name !== 'prometheus') throw new Error(`target "${targetName}" is a ${connected.plugin.name} target, not prometheus`);
  return connected.connection.session as PromqlSource;
}

/**
 * The plugins a run or a plan of the experiment calls: its targets' plugins, those of every fault, probe and action
 * it names (steady state, method, rollbacks, runbook checks, the RTO probe, probe guardrails) and those of its RPO
 * writer and reader. They are loaded before anything is connected, so a missing dependency is an error before any
 * fault is injected and no import lands in a timed path (an RTO probe's first sample, the first RPO write).
 */
import type { ActionStep, FaultStep, ProbeStep, ResolvedExperiment } from '../experiment/types.js';
import type { Registry } from '../plugins/registry.js';

export function pluginsUsedBy(experiment: ResolvedExperiment, registry: Registry): Set<string> {
  const names = new Set(Object.values(experiment.targets).map((target) => target.type));
  for (const step of typedSteps(experiment)) {
    const table = step.kind === 'fault' ? registry.faults : step.kind === 'probe' ? registry.probes : registry.actions;
    const registered = table.get(step.type);
    if (registered !== undefined) names.add(registered.plugin.name);
  }
  const { rpo } = experiment.objectives;
  if (rpo !== null) for (const endpoint of [rpo.writer, rpo.reader]) names.add(endpoint.type);
  return names;
}

/** Every fault, probe and action step of the experiment, wherever it sits. */
function typedSteps(experiment: ResolvedExperiment): (FaultStep | ProbeStep | ActionStep)[] {
  const { steadyState, method, rollbacks, runbook, objectives, safety } = experiment;
  return [
    ...steadyState,
    ...method.filter((step) => step.kind !== 'pause'),
    ...rollbacks,
    ...(runbook?.steps ?? []).flatMap((step) => (step.check === null ? [] : [step.check])),
    ...(objectives.rto === null ? [] : [objectives.rto.probe]),
    ...safety.abortWhen.flatMap((guardrail) => (guardrail.kind === 'probe' ? [guardrail.probe] : [])),
  ];
}

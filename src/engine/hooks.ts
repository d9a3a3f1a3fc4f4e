/**
 * Extension points the measurement work fills: observers run for the whole method (load, the RTO probe, the RPO
 * writer, guardrails); objective evaluators turn what they saw into verdicts.
 */
import type { Json } from '../json.js';
import type { ResolvedExperiment } from '../experiment/types.js';
import type { Logger } from '../plugins/api.js';

export interface ObserverContext {
  runId: string;
  experiment: ResolvedExperiment;
  logger: Logger;
  /** An observer that decides the run must stop (a guardrail) calls this; reverting starts right away. */
  abort(reason: string): void;
}

export interface Observer {
  name: string;
  start(ctx: ObserverContext): Promise<void>;
  /** Stops and returns what the observer measured, for the journal and the objectives. */
  stop(): Promise<Json>;
}

export interface ObjectiveResult {
  name: string;
  passed: boolean;
  value: Json;
  threshold: Json;
  /** e.g. "± 100 ms (one probe interval)". */
  uncertainty: string | null;
  message: string;
  evidence: Json;
}

export interface ObjectiveEvaluator {
  name: string;
  evaluate(observed: Record<string, Json>): Promise<ObjectiveResult>;
}

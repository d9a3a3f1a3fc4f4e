/**
 * From the parsed `objectives:` and `safety.abortWhen` to their resolved form (durations in ms, defaults applied,
 * probes as ProbeSteps). Called by src/experiment/resolve.ts, which knows how to turn a probe spec into a step.
 */
import { formatDuration } from '../units/duration.js';
import type { Guardrail, Objectives, ProbeStep, Slo } from './types.js';
import type { PathSegment } from './yaml-source.js';
import type { PromqlGuardrailConfig, RpoEndpoint, SloConfig } from './objectives-schema.js';

/** Makes a ProbeStep of the probe spec found at `[...path, 'probe']`. */
export type ProbeStepAt = (path: PathSegment[], name: string, timeoutMs: number) => ProbeStep;

interface ParsedObjectives {
  rto?: { max: number; interval: number; recoveredAfter: number; from?: string; timeout: number };
  rpo?: { max: number; writer: RpoEndpoint; reader: RpoEndpoint; interval: number; timeout: number };
  slo: SloConfig[];
}

interface ParsedGuardrail {
  errorRate?: { above: number };
  availability?: { below: number };
  latency?: { p: number; above: number };
  probe?: unknown;
  promql?: PromqlGuardrailConfig;
  for: number;
  over: number;
  minRequests: number;
  interval: number;
  failures: number;
  failStatus: number;
}

const pct = (fraction: number) => `${Number((fraction * 100).toFixed(4))}%`;

export function resolveObjectives(parsed: ParsedObjectives, probeAt: ProbeStepAt): Objectives {
  const { rto, rpo } = parsed;
  return {
    rto: rto
      ? {
          maxMs: rto.max,
          probe: probeAt(['objectives', 'rto'], 'rto probe', rto.timeout),
          intervalMs: rto.interval,
          recoveredAfter: rto.recoveredAfter,
          from: rto.from ?? null,
          timeoutMs: rto.timeout,
        }
      : null,
    rpo: rpo ? { maxMs: rpo.max, writer: rpo.writer, reader: rpo.reader, intervalMs: rpo.interval, timeoutMs: rpo.timeout } : null,
    slo: parsed.slo.map(resolveSlo),
  };
}

function resolveSlo(slo: SloConfig, index: number): Slo {
  const base = { window: slo.window, failStatus: slo.failStatus };
  const named = (fallback: string) => slo.name ?? `${fallback} (${slo.window})`;
  if (slo.availability) return { ...base, name: named(`availability ≥ ${pct(slo.availability.atLeast)}`), kind: 'availability', atLeast: slo.availability.atLeast };
  if (slo.errorRate) return { ...base, name: named(`errorRate < ${pct(slo.errorRate.below)}`), kind: 'errorRate', below: slo.errorRate.below };
  if (slo.latency) {
    return { ...base, name: named(`p${slo.latency.p} < ${formatDuration(slo.latency.below)}`), kind: 'latency', p: slo.latency.p, belowMs: slo.latency.below };
  }
  if (slo.promql) {
    const q = slo.promql;
    const op = q.below !== undefined ? 'below' : 'atLeast';
    const limit = q.below ?? q.atLeast!;
    // Default: the worst point of the window, so a short spike cannot hide in an average.
    const reduce = q.reduce ?? (op === 'below' ? 'max' : 'min');
    return { ...base, name: named(`${reduce}(${q.query}) ${op === 'below' ? '<' : '≥'} ${limit}`), kind: 'promql', target: q.target, query: q.query, op, limit, reduce, stepMs: q.step };
  }
  if (slo.throughput) return { ...base, name: named(`throughput ≥ ${slo.throughput.atLeast} req/s`), kind: 'throughput', atLeast: slo.throughput.atLeast };
  throw new Error(`slo[${index}] has no condition (validation should have caught this)`);
}

export function resolveGuardrails(parsed: ParsedGuardrail[], probeAt: ProbeStepAt): Guardrail[] {
  return parsed.map((g, i): Guardrail => {
    const base = { forMs: g.for, overMs: g.over, minRequests: g.minRequests, failStatus: g.failStatus };
    const held = `${g.for > 0 ? ` for ${formatDuration(g.for)}` : ''}`;
    const over = ` over the last ${formatDuration(g.over)}`;
    if (g.errorRate) return { ...base, kind: 'errorRate', above: g.errorRate.above, description: `errorRate above ${pct(g.errorRate.above)}${over}${held}` };
    if (g.availability) return { ...base, kind: 'availability', below: g.availability.below, description: `availability below ${pct(g.availability.below)}${over}${held}` };
    if (g.latency) {
      return { ...base, kind: 'latency', p: g.latency.p, aboveMs: g.latency.above, description: `p${g.latency.p} latency above ${formatDuration(g.latency.above)}${over}${held}` };
    }
    if (g.promql) {
      const op = g.promql.above !== undefined ? 'above' : 'below';
      const limit = g.promql.above ?? g.promql.below!;
      return {
        ...base, kind: 'promql', target: g.promql.target, query: g.promql.query, op, limit, intervalMs: Math.max(g.interval, 1),
        description: `${g.promql.query} ${op} ${limit} (queried every ${formatDuration(Math.max(g.interval, 1))})${held}`,
      };
    }
    const probe = probeAt(['safety', 'abortWhen', i], `guardrail probe #${i + 1}`, Math.max(g.interval, 1));
    return { ...base, kind: 'probe', probe, intervalMs: g.interval, failures: g.failures, description: `probe ${probe.type} failed ${g.failures} times in a row` };
  });
}

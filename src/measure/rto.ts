/**
 * RTO from probe results (DESIGN.md §3). t0 is when the `from` fault finished injecting. The outage starts at the
 * first failed probe sent at or after t0; recovery is the first success that begins a run of `recoveredAfter`
 * consecutive successes (in the order probes were sent). RTO = recovery − t0. No probe sent after t0: not measured,
 * and the objective fails.
 *
 * Which instant stands for a probe: a failure is placed when its request was sent (the system did not answer what
 * was asked then); a success when its answer arrived (the system was seen answering then). A request held by a
 * frozen server and answered when it resumes therefore dates the recovery at the resume, not at the send.
 */
import { formatDuration } from '../units/duration.js';
import type { ObjectiveResult } from './objective-result.js';

export interface ProbeSample {
  /** Epoch ms. */
  startedAt: number;
  endedAt: number;
  ok: boolean;
  message: string;
}

export interface RtoSpec {
  maxMs: number;
  intervalMs: number;
  recoveredAfter: number;
}

export function measureRto(samples: readonly ProbeSample[], t0: number | null, spec: RtoSpec, runEndMs: number, t0Fault: string | null): ObjectiveResult {
  const threshold = { max: formatDuration(spec.maxMs), maxMs: spec.maxMs };
  const uncertainty = `± ${formatDuration(spec.intervalMs)} (one probe interval)`;
  const base = { name: 'rto', kind: 'rto', unit: 'ms' as const, threshold, uncertainty };
  if (t0 === null) {
    return { ...base, passed: false, value: null, message: `no t0: the fault${t0Fault ? ` "${t0Fault}"` : ''} was never injected`, evidence: { probes: samples.length } };
  }
  const after = samples.filter((s) => s.startedAt >= t0).sort((a, b) => a.startedAt - b.startedAt);
  const iso = (ms: number) => new Date(ms).toISOString();
  if (after.length === 0) {
    // No probe after t0 says nothing about an outage: "no outage observed" would be a claim without evidence.
    return {
      ...base,
      passed: false,
      value: null,
      message: `not measured: no RTO probe was sent after t0 (${samples.length} probes in all)`,
      evidence: { t0: iso(t0), fault: t0Fault, probes: samples.length, probesAfterT0: 0 },
    };
  }
  const firstFailure = after.findIndex((s) => !s.ok);
  if (firstFailure === -1) {
    return {
      ...base,
      passed: true,
      value: 0,
      message: `no outage observed (${after.length} probes after t0 all succeeded)`,
      evidence: { t0: iso(t0), fault: t0Fault, outageStart: null, recoveredAt: null, detectionMs: null, downtimeMs: 0, probesAfterT0: after.length },
    };
  }
  const outageStart = after[firstFailure];
  let recovery = -1;
  for (let j = firstFailure + 1; j + spec.recoveredAfter <= after.length; j++) {
    if (after.slice(j, j + spec.recoveredAfter).every((s) => s.ok)) {
      recovery = j;
      break;
    }
  }
  const downtimeMs = downtime(after, runEndMs);
  const failed = after.filter((s) => !s.ok).length;
  const common = {
    t0: iso(t0),
    fault: t0Fault,
    outageStart: iso(outageStart.startedAt),
    detectionMs: outageStart.startedAt - t0,
    downtimeMs,
    failedProbes: failed,
    probesAfterT0: after.length,
    firstFailure: outageStart.message,
  };
  if (recovery === -1) {
    return {
      ...base,
      passed: false,
      value: null,
      message: `not recovered within the run: the last ${after.length - firstFailure} probes did not give ${spec.recoveredAfter} successes in a row`,
      evidence: { ...common, recoveredAt: null },
    };
  }
  const recoveredAt = after[recovery].endedAt;
  const rto = recoveredAt - t0;
  const passed = rto <= spec.maxMs;
  return {
    ...base,
    passed,
    value: rto,
    message: `RTO ${formatDuration(rto)} ${passed ? '≤' : '>'} ${formatDuration(spec.maxMs)} (outage detected ${formatDuration(common.detectionMs)} after t0, ${formatDuration(downtimeMs)} down in total)`,
    evidence: { ...common, recoveredAt: iso(recoveredAt) },
  };
}

/** Sum of the stretches from a failure (sent) to the next success (answered), or to the end of the run. */
function downtime(sorted: readonly ProbeSample[], runEndMs: number): number {
  let total = 0;
  let downSince: number | null = null;
  for (const s of sorted) {
    if (!s.ok && downSince === null) downSince = s.startedAt;
    if (s.ok && downSince !== null) {
      total += Math.max(0, s.endedAt - downSince);
      downSince = null;
    }
  }
  if (downSince !== null) total += Math.max(0, runEndMs - downSince);
  return total;
}

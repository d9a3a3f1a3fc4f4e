/**
 * Deploys in the lab: a rolling deploy replaces instances one at a time behind health gates; a canary deploy
 * replaces one instance of the primary region first and watches its error rate and latency through the router
 * before going on, rolling it back at once when the gate fails. A version can be flagged bad (an error rate, an
 * added latency) to drill exactly that.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Lab } from './lab.js';
import type { DeployRequest, DeployResult, Release } from './contract/lab-status.js';

const GATE_POLL_MS = 100;

export async function deploy(lab: Lab, request: DeployRequest): Promise<DeployResult> {
  const started = Date.now();
  const failedBefore = lab.router.failedResponses;
  const release: Release = { version: request.version, errorRate: request.errorRate, addedLatencyMs: request.addedLatencyMs };
  const primary = lab.router.primary;
  // The primary's instances first: a canary must take traffic to be judged.
  const order = [...lab.regions[primary], ...lab.regions[primary === 'a' ? 'b' : 'a']];
  lab.previousRelease = lab.instances.releaseOf(order[0]);
  lab.events.record('deploy-started', { version: request.version, strategy: request.strategy });
  const done: string[] = [];
  let canary: DeployResult['canary'] = null;
  for (const [index, name] of order.entries()) {
    await lab.instances.replace(name, release);
    done.push(name);
    if (request.strategy === 'canary' && index === 0) {
      const gate = await watchCanary(lab, name, request);
      canary = gate.stats;
      if (!gate.passed) {
        lab.events.record('canary-failed', { instance: name, version: request.version, ...gate.stats });
        const rollbackStarted = Date.now();
        await lab.instances.replace(name, lab.previousRelease);
        const rollbackMs = Date.now() - rollbackStarted;
        lab.events.record('rolled-back', { instances: [name], to: lab.previousRelease.version, rollbackMs });
        return {
          version: request.version,
          strategy: request.strategy,
          outcome: 'rolled-back',
          instances: done,
          detectedAfterMs: gate.detectedAfterMs,
          rollbackMs,
          canary,
          failedResponsesDuringDeploy: lab.router.failedResponses - failedBefore,
          durationMs: Date.now() - started,
        };
      }
    } else if (request.pauseMs > 0) {
      await sleep(request.pauseMs);
    }
  }
  lab.events.record('deploy-completed', { version: request.version, instances: done });
  return {
    version: request.version,
    strategy: request.strategy,
    outcome: 'completed',
    instances: done,
    detectedAfterMs: null,
    rollbackMs: null,
    canary,
    failedResponsesDuringDeploy: lab.router.failedResponses - failedBefore,
    durationMs: Date.now() - started,
  };
}

/** Puts every instance not on the previous release back on it, one at a time. */
export async function rollback(lab: Lab): Promise<{ instances: string[]; version: string | null; durationMs: number }> {
  const started = Date.now();
  const target = lab.previousRelease;
  if (target === null) return { instances: [], version: null, durationMs: 0 };
  const changed: string[] = [];
  for (const name of [...lab.regions.a, ...lab.regions.b]) {
    if (lab.instances.releaseOf(name).version === target.version) continue;
    await lab.instances.replace(name, target);
    changed.push(name);
  }
  lab.events.record('rolled-back', { instances: changed, to: target.version, rollbackMs: Date.now() - started });
  return { instances: changed, version: target.version, durationMs: Date.now() - started };
}

async function watchCanary(
  lab: Lab,
  name: string,
  request: DeployRequest,
): Promise<{ passed: boolean; detectedAfterMs: number | null; stats: { requests: number; failures: number; errorRate: number } }> {
  const base = lab.router.instanceStats(name);
  const started = Date.now();
  const stats = () => {
    const now = lab.router.instanceStats(name);
    const requests = now.requests - base.requests;
    const failures = now.failures - base.failures;
    return { requests, failures, errorRate: requests === 0 ? 0 : failures / requests };
  };
  while (Date.now() - started < request.observeMs) {
    await sleep(GATE_POLL_MS);
    const s = stats();
    // Judged only on enough requests that one failure is not a verdict.
    if (s.requests >= 10 && s.errorRate > request.maxErrorRate) return { passed: false, detectedAfterMs: Date.now() - started, stats: s };
  }
  const s = stats();
  return { passed: s.errorRate <= request.maxErrorRate, detectedAfterMs: s.errorRate <= request.maxErrorRate ? null : Date.now() - started, stats: s };
}

/**
 * `lab.deploy`: ships a version to every instance, rolling (one at a time, each healthy before the next) or canary
 * (one instance of the primary first, watched through the router; a failed gate rolls it back at once). A version
 * can be flagged bad with `bad`. `expect` says what the drill expects: the deploy to complete, or a bad canary to
 * be rolled back within `rollbackWithin`; anything else fails the step.
 */
import type { DeployRequest, DeployResult } from '../../../lab/contract/lab-status.js';
import { defineAction } from '../../api.js';
import type { LabSession } from '../session.js';
import { deploySpec } from '../specs.js';

export const deployAction = defineAction({
  ...deploySpec,
  async run(session: LabSession | undefined, p, ctx) {
    const result = await session!.admin<DeployResult>(
      'POST',
      '/admin/deploy',
      {
        version: p.version,
        strategy: p.strategy,
        errorRate: p.bad?.errorRate ?? 0,
        addedLatencyMs: p.bad?.latency ?? 0,
        observeMs: p.observe,
        maxErrorRate: p.maxErrorRate,
        pauseMs: p.pause,
      } satisfies DeployRequest,
      ctx.signal,
    );
    if (result.outcome !== p.outcome) throw new Error(`deploy of ${p.version}: ${result.outcome}, expected ${p.outcome}: ${JSON.stringify(result)}`);
    if (p.maxFailedRequests !== undefined && result.failedResponsesDuringDeploy > p.maxFailedRequests) {
      throw new Error(`deploy of ${p.version}: ${result.failedResponsesDuringDeploy} failed request(s) during the deploy, at most ${p.maxFailedRequests} allowed`);
    }
    if (result.outcome === 'rolled-back') {
      const took = (result.detectedAfterMs ?? 0) + (result.rollbackMs ?? 0);
      if (took > p.rollbackWithin) throw new Error(`the bad canary was rolled back after ${took} ms, over the ${p.rollbackWithin} ms budget`);
    }
    return result;
  },
});

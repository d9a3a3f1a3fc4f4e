/**
 * `lab.deploy`: ships a version to every instance, rolling (one at a time, each healthy before the next) or canary
 * (one instance of the primary first, watched through the router; a failed gate rolls it back at once). A version
 * can be flagged bad with `bad`. `expect` says what the drill expects: the deploy to complete, or a bad canary to
 * be rolled back within `rollbackWithin`; anything else fails the step.
 */
import { z } from 'zod';
import { durationSchema } from '../../../units/duration.js';
import { percentSchema } from '../../../units/percent.js';
import type { DeployRequest, DeployResult } from '../../../lab/contract/lab-status.js';
import type { ActionType } from '../../api.js';
import type { LabSession } from '../session.js';

const params = z
  .object({
    version: z.string().min(1).describe('the version to deploy'),
    strategy: z.enum(['rolling', 'canary']).default('rolling'),
    bad: z
      .object({
        errorRate: percentSchema.prefault('0%').describe('share of order requests the version answers with 500'),
        latency: durationSchema.prefault('0ms').describe('latency the version adds to order requests'),
      })
      .strict()
      .optional()
      .describe('flag the version bad'),
    observe: durationSchema.prefault('3s').describe('how long the canary is watched'),
    maxErrorRate: percentSchema.prefault('5%').describe("the canary gate: the canary's highest acceptable error rate"),
    pause: durationSchema.prefault('200ms').describe('wait between instances'),
    expect: z.enum(['completed', 'rolled-back']).default('completed').describe('the outcome the drill expects'),
    rollbackWithin: durationSchema.prefault('10s').describe('budget from the canary serving to the rollback done'),
    maxFailedRequests: z.number().int().min(0).optional().describe('fail the step when the router answered more failed requests during the deploy'),
  })
  .strict();
type DeployParams = z.output<typeof params>;

export const deployAction: ActionType<LabSession, DeployParams> = {
  type: 'lab.deploy',
  description: 'Deploy a version (rolling or canary with a health gate; flag it bad to drill a rollback)',
  needsTarget: true,
  params,
  async run(session, p, ctx) {
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
    if (result.outcome !== p.expect) throw new Error(`deploy of ${p.version}: ${result.outcome}, expected ${p.expect}: ${JSON.stringify(result)}`);
    if (p.maxFailedRequests !== undefined && result.failedResponsesDuringDeploy > p.maxFailedRequests) {
      throw new Error(`deploy of ${p.version}: ${result.failedResponsesDuringDeploy} failed request(s) during the deploy, at most ${p.maxFailedRequests} allowed`);
    }
    if (result.outcome === 'rolled-back') {
      const took = (result.detectedAfterMs ?? 0) + (result.rollbackMs ?? 0);
      if (took > p.rollbackWithin) throw new Error(`the bad canary was rolled back after ${took} ms, over the ${p.rollbackWithin} ms budget`);
    }
    return result;
  },
};

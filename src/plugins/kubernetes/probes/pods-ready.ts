/** `kubernetes.pods-ready`: how many pods of a selector are Ready, against a count or a percentage. */
import { z } from 'zod';
import { percentSchema } from '../../../units/percent.js';
import type { ProbeType } from '../../api.js';
import { isPodReady, listPods, podSelectorParams } from '../pods.js';
import type { KubernetesSession } from '../session.js';

const params = z
  .object({
    ...podSelectorParams,
    atLeast: z.int().min(0).optional().describe('at least this many Ready pods'),
    percent: percentSchema.optional().describe('at least this share of the matching pods Ready; default 100% (and at least one pod)'),
  })
  .strict();
type PodsReadyParams = z.output<typeof params>;

export const podsReadyProbe: ProbeType<KubernetesSession, PodsReadyParams> = {
  type: 'kubernetes.pods-ready',
  description: 'Whether enough pods of a selector are Ready (a count, or a percentage; default all, at least one)',
  needsTarget: true,
  params,
  async run(session, p) {
    if (session === undefined) throw new Error('kubernetes.pods-ready needs a target');
    const pods = await listPods(session, p.labelSelector, p.fieldSelector);
    const ready = pods.filter(isPodReady).length;
    const total = pods.length;
    let ok: boolean;
    let expected: string;
    if (p.atLeast !== undefined) {
      ok = ready >= p.atLeast;
      expected = `at least ${p.atLeast}`;
    } else {
      const share = p.percent ?? 1;
      ok = total > 0 && ready >= Math.ceil(share * total - 1e-9);
      expected = `${Math.round(share * 100)}% of ${total}${total === 0 ? ' (no pod matches)' : ''}`;
    }
    const found = `${ready} of ${total} pods matching ${p.labelSelector} Ready`;
    return { ok, message: ok ? found : `${found}, expected ${expected}`, output: { ready, total, notReady: pods.filter((x) => !isPodReady(x)).map((x) => x.metadata?.name ?? '') } };
  },
};

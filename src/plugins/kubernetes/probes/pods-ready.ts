/** `kubernetes.pods-ready`: how many pods of a selector are Ready, against a count or a percentage. */
import { defineProbe } from '../../api.js';
import { isPodReady, listPods } from '../pods.js';
import type { KubernetesSession } from '../session.js';
import { podsReadySpec } from '../specs.js';

export const podsReadyProbe = defineProbe({
  ...podsReadySpec,
  async run(session: KubernetesSession | undefined, p) {
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
});

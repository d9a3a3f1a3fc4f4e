/**
 * `lab.status`: checks the lab's state against what is given: which region is primary, how many instances of a
 * region run, the replication lag (bounds) and whether the replication link is up, the deployed version.
 */
import type { JsonObject } from '../../../json.js';
import type { LabStatus } from '../../../lab/contract/lab-status.js';
import { defineProbe } from '../../api.js';
import type { LabSession } from '../session.js';
import { statusSpec } from '../specs.js';

export const statusProbe = defineProbe({
  ...statusSpec,
  async run(session: LabSession | undefined, p, ctx) {
    const status = await session!.admin<LabStatus>('GET', '/admin/status', undefined, ctx.signal);
    const instances = status.regions[p.region]?.instances ?? [];
    const running = instances.filter((i) => i.running).length;
    const versions = [...new Set(instances.map((i) => i.release.version))];
    const { lagMs, linkUp } = status.replication;
    const failures: string[] = [];
    if (p.primary !== undefined && status.primary !== p.primary) failures.push(`primary is ${status.primary}, expected ${p.primary}`);
    if (p.running !== undefined && running !== p.running) failures.push(`${running} instance(s) of ${p.region} running, expected ${p.running}`);
    if (p.version !== undefined && (versions.length !== 1 || versions[0] !== p.version)) failures.push(`region ${p.region} runs ${versions.join(', ')}, expected ${p.version}`);
    if (p.maxLag !== undefined && lagMs > p.maxLag) failures.push(`replication lag ${lagMs} ms > ${p.maxLag} ms`);
    if (p.minLag !== undefined && lagMs < p.minLag) failures.push(`replication lag ${lagMs} ms < ${p.minLag} ms`);
    if (p.linkUp !== undefined && linkUp !== p.linkUp) failures.push(`replication link ${linkUp ? 'up' : 'down'}, expected ${p.linkUp ? 'up' : 'down'}`);
    const output: JsonObject = { primary: status.primary, running, versions, lagMs, linkUp };
    const summary = `primary ${status.primary}, ${running} of ${instances.length} in ${p.region} running (${versions.join(', ')}), lag ${lagMs} ms, link ${linkUp ? 'up' : 'down'}`;
    return { ok: failures.length === 0, message: failures.length === 0 ? summary : failures.join('; '), output };
  },
});

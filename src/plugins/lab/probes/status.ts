/**
 * `lab.status`: checks the lab's state against what is given: which region is primary, how many instances of a
 * region run, the replication lag (bounds) and whether the replication link is up, the deployed version.
 */
import { z } from 'zod';
import { durationSchema } from '../../../units/duration.js';
import type { JsonObject } from '../../../json.js';
import type { LabStatus } from '../../../lab/contract/lab-status.js';
import type { ProbeType } from '../../api.js';
import { regionSchema } from '../params.js';
import type { LabSession } from '../session.js';

const params = z
  .object({
    region: regionSchema.default('a').describe('the region `running` and `version` refer to'),
    primary: regionSchema.optional().describe('the region expected to be primary'),
    running: z.number().int().min(0).optional().describe('instances of `region` expected running'),
    version: z.string().min(1).optional().describe('the version every instance of `region` is expected to run'),
    maxLag: durationSchema.optional().describe('the replication lag must be at most this'),
    minLag: durationSchema.optional().describe('the replication lag must be at least this (the standby is behind)'),
    linkUp: z.boolean().optional().describe('whether replication is expected to ship'),
  })
  .strict();
type StatusParams = z.output<typeof params>;

export const statusProbe: ProbeType<LabSession, StatusParams> = {
  type: 'lab.status',
  description: "Check the lab's primary region, running instances, versions and replication lag",
  needsTarget: true,
  params,
  async run(session, p, ctx) {
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
};

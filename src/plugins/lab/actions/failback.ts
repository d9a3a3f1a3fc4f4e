/**
 * `lab.failback`: Make a region primary again (default a) once it is healthy; replication follows
 */
import type { Json } from '../../../json.js';
import { defineAction } from '../../api.js';
import type { LabSession } from '../session.js';
import { failbackSpec } from '../specs.js';

export const failbackAction = defineAction({
  ...failbackSpec,
  async run(session: LabSession | undefined, p, ctx) {
    return session!.admin<Json>('POST', '/admin/failback', { region: p.region }, ctx.signal);
  },
});

/**
 * `lab.failback`: Make a region primary again (default a) once it is healthy; replication follows
 */
import { z } from 'zod';
import type { Json } from '../../../json.js';
import type { ActionType } from '../../api.js';
import { regionSchema } from '../params.js';
import type { LabSession } from '../session.js';

const params = z.object({ region: regionSchema.default('a') }).strict();

export const failbackAction: ActionType<LabSession, z.output<typeof params>> = {
  type: 'lab.failback',
  description: "Make a region primary again (default a) once it is healthy; replication follows",
  needsTarget: true,
  params,
  async run(session, p, ctx) {
    return session!.admin<Json>('POST', '/admin/failback', { region: p.region }, ctx.signal);
  },
};

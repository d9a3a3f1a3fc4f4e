/**
 * `lab.rollback`: Put every instance back on the release before the newest deploy, one at a time
 */
import { z } from 'zod';
import type { Json } from '../../../json.js';
import type { ActionType } from '../../api.js';
import type { LabSession } from '../session.js';

const params = z.object({}).strict();

export const rollbackAction: ActionType<LabSession, z.output<typeof params>> = {
  type: 'lab.rollback',
  description: "Put every instance back on the release before the newest deploy, one at a time",
  needsTarget: true,
  params,
  async run(session, p, ctx) {
    return session!.admin<Json>('POST', '/admin/rollback', {}, ctx.signal);
  },
};

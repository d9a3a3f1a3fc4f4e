/**
 * `lab.restore`: Restore a region's database (default: the primary's) from the newest backup
 */
import { z } from 'zod';
import type { Json } from '../../../json.js';
import type { ActionType } from '../../api.js';
import { regionSchema } from '../params.js';
import type { LabSession } from '../session.js';

const params = z.object({ region: regionSchema.optional() }).strict();

export const restoreAction: ActionType<LabSession, z.output<typeof params>> = {
  type: 'lab.restore',
  description: "Restore a region's database (default: the primary's) from the newest backup",
  needsTarget: true,
  params,
  async run(session, p, ctx) {
    return session!.admin<Json>('POST', '/admin/restore', p, ctx.signal);
  },
};

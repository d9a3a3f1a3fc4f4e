/**
 * `lab.backup`: Take an online backup (SQLite backup API) of a region's database (default: the primary's)
 */
import { z } from 'zod';
import type { Json } from '../../../json.js';
import type { ActionType } from '../../api.js';
import { regionSchema } from '../params.js';
import type { LabSession } from '../session.js';

const params = z.object({ region: regionSchema.optional() }).strict();

export const backupAction: ActionType<LabSession, z.output<typeof params>> = {
  type: 'lab.backup',
  description: "Take an online backup (SQLite backup API) of a region's database (default: the primary's)",
  needsTarget: true,
  params,
  async run(session, p, ctx) {
    return session!.admin<Json>('POST', '/admin/backup', p, ctx.signal);
  },
};

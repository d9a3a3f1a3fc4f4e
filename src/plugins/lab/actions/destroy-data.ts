/**
 * `lab.destroy-data`: Delete every order in a region's database (lab data only; default: the primary's)
 */
import { z } from 'zod';
import type { Json } from '../../../json.js';
import type { ActionType } from '../../api.js';
import { regionSchema } from '../params.js';
import type { LabSession } from '../session.js';

const params = z.object({ region: regionSchema.optional() }).strict();

export const destroyDataAction: ActionType<LabSession, z.output<typeof params>> = {
  type: 'lab.destroy-data',
  description: "Delete every order in a region's database (lab data only; default: the primary's)",
  needsTarget: true,
  params,
  async run(session, p, ctx) {
    return session!.admin<Json>('POST', '/admin/destroy-data', p, ctx.signal);
  },
};

/**
 * `lab.destroy-data`: Delete every order in a region's database (lab data only; default: the primary's)
 */
import type { Json } from '../../../json.js';
import { defineAction } from '../../api.js';
import type { LabSession } from '../session.js';
import { destroyDataSpec } from '../specs.js';

export const destroyDataAction = defineAction({
  ...destroyDataSpec,
  async run(session: LabSession | undefined, p, ctx) {
    return session!.admin<Json>('POST', '/admin/destroy-data', p, ctx.signal);
  },
});

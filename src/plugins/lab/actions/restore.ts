/**
 * `lab.restore`: Restore a region's database (default: the primary's) from the newest backup
 */
import type { Json } from '../../../json.js';
import { defineAction } from '../../api.js';
import type { LabSession } from '../session.js';
import { restoreSpec } from '../specs.js';

export const restoreAction = defineAction({
  ...restoreSpec,
  async run(session: LabSession | undefined, p, ctx) {
    return session!.admin<Json>('POST', '/admin/restore', p, ctx.signal);
  },
});

/**
 * `lab.backup`: Take an online backup (SQLite backup API) of a region's database (default: the primary's)
 */
import type { Json } from '../../../json.js';
import { defineAction } from '../../api.js';
import type { LabSession } from '../session.js';
import { backupSpec } from '../specs.js';

export const backupAction = defineAction({
  ...backupSpec,
  async run(session: LabSession | undefined, p, ctx) {
    return session!.admin<Json>('POST', '/admin/backup', p, ctx.signal);
  },
});

/**
 * `lab.rollback`: Put every instance back on the release before the newest deploy, one at a time
 */
import type { Json } from '../../../json.js';
import { defineAction } from '../../api.js';
import type { LabSession } from '../session.js';
import { rollbackSpec } from '../specs.js';

export const rollbackAction = defineAction({
  ...rollbackSpec,
  async run(session: LabSession | undefined, p, ctx) {
    return session!.admin<Json>('POST', '/admin/rollback', {}, ctx.signal);
  },
});

/** `postgres.truncate`: TRUNCATE tables; revert restores them from the run's backup. */
import { z } from 'zod';
import { destructiveFault, qualified } from './destructive.js';

const params = z
  .object({ tables: z.array(z.string().min(1)).min(1).describe('tables to empty: `orders` or `shop.orders`') })
  .strict();
type TruncateParams = z.output<typeof params>;

export const truncateFault = destructiveFault<TruncateParams>({
  type: 'postgres.truncate',
  description: 'Empty tables with TRUNCATE (needs allowDestructive and a backup earlier in the run); revert restores them',
  params,
  tablesOf: (p) => p.tables,
  describe: (p) => `TRUNCATE ${p.tables.join(', ')}`,
  async damage(client, _p, tables) {
    await client.query(`TRUNCATE ${tables.map((t) => qualified(client, t)).join(', ')}`);
    return `emptied ${tables.length} table(s)`;
  },
});

/** `postgres.drop-table`: DROP TABLE (the "wrong database" mistake); revert restores the tables from the run's backup. */
import { z } from 'zod';
import { destructiveFault, qualified } from './destructive.js';

const params = z
  .object({ tables: z.array(z.string().min(1)).min(1).describe('tables to drop: `orders` or `shop.orders`') })
  .strict();
type DropParams = z.output<typeof params>;

export const dropTableFault = destructiveFault<DropParams>({
  type: 'postgres.drop-table',
  description: 'Drop tables (needs allowDestructive and a backup earlier in the run); revert restores them from the backup',
  params,
  tablesOf: (p) => p.tables,
  describe: (p) => `DROP TABLE ${p.tables.join(', ')}`,
  async damage(client, _p, tables) {
    await client.query(`DROP TABLE ${tables.map((t) => qualified(client, t)).join(', ')}`);
    return `dropped ${tables.length} table(s)`;
  },
});

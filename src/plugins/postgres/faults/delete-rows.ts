/** `postgres.delete-rows`: DELETE FROM a table WHERE a condition; revert restores the table from the run's backup. */
import { z } from 'zod';
import { destructiveFault, qualified } from './destructive.js';

const params = z
  .object({
    table: z.string().min(1).describe('`orders` or `shop.orders`'),
    where: z.string().min(1).describe('an SQL condition, e.g. `id % 10 = 0`; `true` deletes every row'),
  })
  .strict();
type DeleteParams = z.output<typeof params>;

export const deleteRowsFault = destructiveFault<DeleteParams>({
  type: 'postgres.delete-rows',
  description: 'DELETE rows matching `where` (needs allowDestructive and a backup earlier in the run); revert restores the table',
  params,
  tablesOf: (p) => [p.table],
  describe: (p) => `DELETE FROM ${p.table} WHERE ${p.where}`,
  async damage(client, p, tables) {
    const result = await client.query(`DELETE FROM ${qualified(client, tables[0]!)} WHERE ${p.where}`);
    return `deleted ${result.rowCount ?? 0} row(s)`;
  },
});

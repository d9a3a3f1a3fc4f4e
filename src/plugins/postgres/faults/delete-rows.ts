/** `postgres.delete-rows`: DELETE FROM a table WHERE a condition; revert restores the table from the run's backup. */
import { destructiveFault, qualified } from './destructive.js';
import { deleteRowsSpec } from '../specs.js';

export const deleteRowsFault = destructiveFault(deleteRowsSpec, {
  tablesOf: (p) => [p.table],
  describe: (p) => `DELETE FROM ${p.table} WHERE ${p.where}`,
  async damage(client, p, tables) {
    const result = await client.query(`DELETE FROM ${qualified(client, tables[0])} WHERE ${p.where}`);
    return `deleted ${result.rowCount ?? 0} row(s)`;
  },
});

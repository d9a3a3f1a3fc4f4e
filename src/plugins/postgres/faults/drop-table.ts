/** `postgres.drop-table`: DROP TABLE (the "wrong database" mistake); revert restores the tables from the run's backup. */
import { destructiveFault, qualified } from './destructive.js';
import { dropTableSpec } from '../specs.js';

export const dropTableFault = destructiveFault(dropTableSpec, {
  tablesOf: (p) => p.tables,
  describe: (p) => `DROP TABLE ${p.tables.join(', ')}`,
  async damage(client, _p, tables) {
    await client.query(`DROP TABLE ${tables.map((t) => qualified(client, t)).join(', ')}`);
    return `dropped ${tables.length} table(s)`;
  },
});

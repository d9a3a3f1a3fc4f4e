/** `postgres.truncate`: TRUNCATE tables; revert restores them from the run's backup. */
import { destructiveFault, qualified } from './destructive.js';
import { truncateSpec } from '../specs.js';

export const truncateFault = destructiveFault(truncateSpec, {
  tablesOf: (p) => p.tables,
  describe: (p) => `TRUNCATE ${p.tables.join(', ')}`,
  async damage(client, _p, tables) {
    await client.query(`TRUNCATE ${tables.map((t) => qualified(client, t)).join(', ')}`);
    return `emptied ${tables.length} table(s)`;
  },
});
